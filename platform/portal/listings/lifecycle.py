"""The lifecycle of a listing: in each status, which actions exist and who may take them.

Plain Python, one table. Pages ask it which buttons to show (``allowed_actions``) and services
ask it before changing anything (``can``, ``refusal``), so a button is shown exactly when
pressing it works.

Who (a user may be several of these at once, relative to one listing):

- owner      an active member of the listing's institution
- admin      a portal administrator: manages any listing past the draft stage
- moderator  moderates the listing's center (administrators moderate every center)
- member     any other signed-in user (not its institution, not an administrator)
- partner    a signed-in user acting for another institution, with a confirmed email
- anonymous  not signed in: no actions

The table (O owner, A admin, Mod moderator, Mem member, P partner; * only while the listing is
public, i.e. published and before its closing date)::

                     draft  submitted  changes    rejected  published  suspended  expired  withdrawn
                                       requested
    manage           O      OA         OA         OA        OA         OA         OA       OA
    edit             O      OA         OA         OA        OA         -          -        -
    translate        O      OA         OA         OA        OA         -          -        -
    edit_subjects    O      OA         OA         OA        OA         -          -        -
    submit           O      -          OA         OA        -          -          -        -
    withdraw         O      OA         OA         OA        OA         -          OA       -
    renew            -      -          -          -         OA         -          OA       -
    review           -      Mod        Mod        Mod       Mod        Mod        Mod      Mod
    decide           -      Mod        -          -         -          -          -        -
    decide_edit      -      -          -          -         Mod        -          -        -
    suspend          -      -          -          -         Mod        -          -        -
    restore          -      -          -          -         -          Mod        -        -
    report           -      -          -          -         Mem*       -          -        -
    express_interest -      -          -          -         P*         -          -        -

How a listing moves: an author saves a draft and submits it; a moderator decides on the
submission (publish, ask for changes, reject); changes requested and rejected listings are
edited and submitted again. A published listing's edits become a revision that a moderator
decides on while the public keeps the approved text (``decide_edit``). Moderators suspend a
published listing and restore it; while suspended its institution can neither edit nor
withdraw it. The daily job expires a published listing at its closing date; renewing brings
it back. Withdrawing is final.

``manage`` is seeing the institution's panel on the listing's page (status, the moderators'
message, suggested partners). ``review`` is the moderation page of the listing. A draft
belongs to its institution alone: nobody else has any action on it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Protocol

from portal.users.models import MembershipStatus, Role
from portal.listings.models import ListingStatus


class Action(enum.StrEnum):
    MANAGE = "manage"
    EDIT = "edit"
    TRANSLATE = "translate"
    EDIT_SUBJECTS = "edit_subjects"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    RENEW = "renew"
    REVIEW = "review"
    DECIDE = "decide"  # approve, request changes or reject a submission
    DECIDE_EDIT = "decide_edit"  # the same, on the pending revision of a published listing
    SUSPEND = "suspend"
    RESTORE = "restore"
    REPORT = "report"
    EXPRESS_INTEREST = "express_interest"


class Who(enum.StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MODERATOR = "moderator"
    MEMBER = "member"
    PARTNER = "partner"
    ANONYMOUS = "anonymous"


class Person(Protocol):
    """What the table needs of a user (``portal.users.models.User``, or Flask-Login's
    anonymous user, which only has ``is_authenticated``)."""

    is_authenticated: bool
    role: Role
    institution_id: int | None
    membership_status: MembershipStatus | None
    email_confirmed: bool
    moderated_centers: Iterable  # of centers, each with an ``id``


class ListingFacts(Protocol):
    status: ListingStatus
    institution_id: int
    center_id: int

    def is_public(self) -> bool: ...


_OWNER = frozenset({Who.OWNER})
_MANAGERS = frozenset({Who.OWNER, Who.ADMIN})
_MODERATORS = frozenset({Who.MODERATOR})
_EDITING = {Action.MANAGE: _MANAGERS, Action.EDIT: _MANAGERS, Action.TRANSLATE: _MANAGERS,
            Action.EDIT_SUBJECTS: _MANAGERS, Action.WITHDRAW: _MANAGERS, Action.REVIEW: _MODERATORS}

TABLE: dict[ListingStatus, dict[Action, frozenset[Who]]] = {
    ListingStatus.DRAFT: {action: _OWNER for action in (
        Action.MANAGE, Action.EDIT, Action.TRANSLATE, Action.EDIT_SUBJECTS, Action.SUBMIT, Action.WITHDRAW)},
    ListingStatus.SUBMITTED: {**_EDITING, Action.DECIDE: _MODERATORS},
    ListingStatus.CHANGES_REQUESTED: {**_EDITING, Action.SUBMIT: _MANAGERS},
    ListingStatus.REJECTED: {**_EDITING, Action.SUBMIT: _MANAGERS},
    ListingStatus.PUBLISHED: {**_EDITING, Action.RENEW: _MANAGERS, Action.DECIDE_EDIT: _MODERATORS,
                              Action.SUSPEND: _MODERATORS, Action.REPORT: frozenset({Who.MEMBER}),
                              Action.EXPRESS_INTEREST: frozenset({Who.PARTNER})},
    ListingStatus.SUSPENDED: {Action.MANAGE: _MANAGERS, Action.REVIEW: _MODERATORS, Action.RESTORE: _MODERATORS},
    ListingStatus.EXPIRED: {Action.MANAGE: _MANAGERS, Action.WITHDRAW: _MANAGERS, Action.RENEW: _MANAGERS,
                            Action.REVIEW: _MODERATORS},
    ListingStatus.WITHDRAWN: {Action.MANAGE: _MANAGERS, Action.REVIEW: _MODERATORS},
}
# Actions of the public: a published listing past its closing date is no longer public,
# even before the daily job marks it expired.
PUBLIC_ONLY = frozenset({Action.REPORT, Action.EXPRESS_INTEREST})
# Statuses whose edits go to the moderators as a revision; the public keeps the approved text.
REVIEWED_EDITS = frozenset({ListingStatus.PUBLISHED})


def roles(user: Person, listing: ListingFacts) -> frozenset[Who]:
    """Who ``user`` is with respect to ``listing``."""
    if not getattr(user, "is_authenticated", False):
        return frozenset({Who.ANONYMOUS})
    found = set()
    active = user.membership_status == MembershipStatus.ACTIVE and user.institution_id is not None
    if active and user.institution_id == listing.institution_id:
        found.add(Who.OWNER)
    if user.role == Role.ADMIN:
        found.add(Who.ADMIN)
    if user.role == Role.ADMIN or (user.role == Role.MODERATOR and listing.center_id in {
            center.id for center in user.moderated_centers}):
        found.add(Who.MODERATOR)
    if not found & _MANAGERS:
        found.add(Who.MEMBER)
    if active and user.institution_id != listing.institution_id and user.email_confirmed:
        found.add(Who.PARTNER)
    return frozenset(found)


def actions_for(status: ListingStatus, who: Iterable[Who], public: bool) -> frozenset[Action]:
    """The table read for one status and one set of roles; ``public``: see ``PUBLIC_ONLY``."""
    who = frozenset(who)
    return frozenset(action for action, allowed in TABLE[status].items()
                     if allowed & who and (public or action not in PUBLIC_ONLY))


def allowed_actions(user: Person, listing: ListingFacts) -> frozenset[Action]:
    return actions_for(listing.status, roles(user, listing), listing.is_public())


def can(user: Person, action: Action | str, listing: ListingFacts) -> bool:
    return Action(action) in allowed_actions(user, listing)


class Refusal(enum.Enum):
    NOT_PERMITTED = "not_permitted"  # the user may not take this action on this listing in any status
    NOT_NOW = "not_now"  # they could, but not while the listing is in its current status


def refusal(user: Person, action: Action | str, listing: ListingFacts) -> Refusal | None:
    """Why ``user`` may not take ``action`` now, or ``None`` when they may. Services turn the
    answer into their own errors (not allowed, or not in this state)."""
    action = Action(action)
    if can(user, action, listing):
        return None
    who = roles(user, listing)
    if any(TABLE[status].get(action, frozenset()) & who for status in ListingStatus):
        return Refusal.NOT_NOW
    return Refusal.NOT_PERMITTED


def edits_are_reviewed(listing: ListingFacts) -> bool:
    return listing.status in REVIEWED_EDITS
