"""Listing changes: create, edit, translate, submit, withdraw, renew.

Plain Python: the acting user and the session are passed in; views commit. Every change
that alters what search or matching see is announced (``portal.changes``), and the search
index, the subjects and the suggestions follow once the transaction has committed. Which change
is possible in which status, and for whom, is ``portal.listings.lifecycle``'s table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy.orm import Session

from portal.users.models import User
from portal.database import utcnow
from portal.changes.signals import announce_listing_changed
from portal.listings import history, lifecycle, schema
from portal.listings.history import ListingRevision, RevisionStatus, open_revision, record
from portal.listings.lifecycle import Action, Refusal
from portal.listings.models import Listing, ListingStatus, ListingTranslation
from portal.listings.schema import Content, ListingDraft, end_of_day  # noqa: F401 - the draft's classes, named here too
from portal.listings.snapshot import draft_snapshot, listing_snapshot, with_text

DEFAULT_LIFETIME_DAYS = 365
MAX_LIFETIME_DAYS = 730


class NotAllowed(Exception):
    pass


class InvalidTransition(Exception):
    pass


# The texts of one language version, and everything an author fills in: both made from the
# declared fields (listings/schema.py), so a new field needs no edit here.


def latest_allowed_expiry(today: date) -> date:
    return today + timedelta(days=MAX_LIFETIME_DAYS)


def default_expiry(today: date) -> date:
    return today + timedelta(days=DEFAULT_LIFETIME_DAYS)


def can_edit_listing(user: User, listing: Listing) -> bool:
    """Whether ``user`` manages ``listing`` (its institution, or an administrator past the draft
    stage); what they may do with it depends on its status (``lifecycle``)."""
    return lifecycle.can(user, Action.MANAGE, listing)


def can_post(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.active_institution is not None
                and user.email_confirmed)


def require(actor: User, action: Action, listing: Listing) -> None:
    """Refuse what the lifecycle does not allow: ``NotAllowed`` when the listing is not the
    actor's to change, ``InvalidTransition`` when it is but not in its current status."""
    refused = lifecycle.refusal(actor, action, listing)
    if refused is Refusal.NOT_PERMITTED:
        raise NotAllowed
    if refused is Refusal.NOT_NOW:
        raise InvalidTransition


class ListingService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def announce(self, listing: Listing) -> None:
        """What follows a change to the listing happens once the transaction commits."""
        announce_listing_changed(self.session, [listing.id])

    def create(self, author: User, draft: ListingDraft, *, submit: bool) -> Listing:
        if not can_post(author):
            raise NotAllowed
        listing = Listing(institution_id=author.institution_id, author=author, original_language=draft.language,
                          status=ListingStatus.DRAFT, expires_at=end_of_day(draft.expires_on))
        apply_draft(listing, draft)
        listing.translations.append(ListingTranslation(language=draft.language, **schema.text_of(draft.content)))
        self.session.add(listing)
        self.session.flush()
        if submit:
            self._submit(author, listing)
        self.announce(listing)
        return listing

    def update(self, actor: User, listing: Listing, draft: ListingDraft) -> None:
        """Edit everything; for a published listing this proposes a revision instead."""
        require(actor, Action.EDIT, listing)
        if lifecycle.edits_are_reviewed(listing):
            self._propose(actor, listing, lambda base: draft_snapshot(base, draft))
            return
        apply_draft(listing, draft)
        set_text(listing, draft.language, draft.content)
        self._touch(listing)

    def set_translation(self, actor: User, listing: Listing, language: str, content: Content) -> None:
        require(actor, Action.TRANSLATE, listing)
        if lifecycle.edits_are_reviewed(listing):
            self._propose(actor, listing, lambda base: with_text(base, language, content))
            return
        set_text(listing, language, content)
        self._touch(listing)

    def delete_translation(self, actor: User, listing: Listing, language: str) -> None:
        require(actor, Action.TRANSLATE, listing)
        if language == listing.original_language:
            raise InvalidTransition  # the original stays; change the original language instead
        if lifecycle.edits_are_reviewed(listing):
            self._propose(actor, listing, lambda base: with_text(base, language, None))
            return
        translation = listing.translation(language)
        if translation is not None:
            listing.translations.remove(translation)
            self._touch(listing)

    def submit(self, actor: User, listing: Listing) -> None:
        require(actor, Action.SUBMIT, listing)
        self._submit(actor, listing)

    def withdraw(self, actor: User, listing: Listing) -> None:
        require(actor, Action.WITHDRAW, listing)
        self._move(actor, listing, ListingStatus.WITHDRAWN, "withdrawn")

    def renew(self, actor: User, listing: Listing, today: date | None = None) -> None:
        """Another default lifetime from today; an expired listing comes back online."""
        require(actor, Action.RENEW, listing)
        listing.expires_at = end_of_day(default_expiry(today or utcnow().date()))
        self._move(actor, listing, ListingStatus.PUBLISHED, "renewed")

    # helpers
    def _submit(self, actor: User, listing: Listing) -> None:
        listing.submitted_at = utcnow()
        self._move(actor, listing, ListingStatus.SUBMITTED, "submitted")

    def _move(self, actor: User, listing: Listing, status: ListingStatus, action: str) -> None:

        before = listing.status
        listing.status = status
        self.session.flush()
        record(self.session, listing, actor, history.Action(action), before, status)
        self.announce(listing)

    def _propose(self, actor: User, listing: Listing, change: Callable[[dict], dict]) -> None:
        """Start or continue the author's revision of a published listing."""

        revision = open_revision(self.session, listing.id)
        base = revision.content if revision is not None else listing_snapshot(listing)
        content = change(base)
        if revision is None:
            revision = ListingRevision(listing_id=listing.id, author_id=actor.id, content=content)
            self.session.add(revision)
        else:
            revision.content = content
            revision.author_id = actor.id
            revision.created_at = utcnow()
        revision.status = RevisionStatus.PENDING
        self.session.flush()
        record(self.session, listing, actor, history.Action.REVISION_SUBMITTED, listing.status, listing.status)

    def _touch(self, listing: Listing) -> None:
        listing.updated_at = utcnow()
        self.session.flush()
        self.announce(listing)


def set_text(listing: Listing, language: str, content: Content) -> None:
    translation = listing.translation(language)
    if translation is None:
        listing.translations.append(ListingTranslation(language=language, **schema.text_of(content)))
    else:
        for name, text in schema.text_of(content).items():
            setattr(translation, name, text)


def apply_draft(listing: Listing, draft: ListingDraft) -> None:
    """Every declared field but the texts; fields of another kind are cleared."""
    schema.apply_values(listing, schema.draft_values(draft))
