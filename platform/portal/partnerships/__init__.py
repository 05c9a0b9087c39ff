"""Partnership projects: the cooperation that grew from the portal (an accepted expression of
interest) or started elsewhere, recorded by the partner institutions themselves.

A member of a party to an accepted interest (or of any institution, for cooperation that
started elsewhere) proposes a project; every partner institution confirms it (a member of
each); then a moderator of its center reviews it in the moderation queue, with the same
decisions as listings. Only then is it public: on /projects/, on each partner's profile, in the
feed, the API and the downloads. Later stage changes are recorded in its history.

``rules`` holds the pure rules (stages, who may do what, facets, country pairs); ``services``
the changes, with the acting user and session passed in; ``queries`` what the public may see.
"""
