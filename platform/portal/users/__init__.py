"""Who people are to the portal: the user, their membership of an institution, their roles
(member, institution admin, moderator of a center, admin) and the checks every feature asks.

Low in the house so that every feature may ask it; the pages for one's own account (sign-in,
registration, settings) are ``portal.accounts``.
"""
