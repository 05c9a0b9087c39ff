"""Listing lifecycle: create, edit, translate, submit, publish, withdraw, renew.

Plain Python: the acting user and the session are passed in; views commit. Every change
that alters what search sees calls ``on_change`` (the search index by default).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy.orm import Session

from portal.accounts.models import MembershipStatus, Role, User
from portal.database import utcnow
from portal.listings import schema
from portal.listings.changes import listing_changed
from portal.listings.models import Listing, ListingStatus, ListingTranslation
from portal.listings.schema import end_of_day

DEFAULT_LIFETIME_DAYS = 365
MAX_LIFETIME_DAYS = 730


class NotAllowed(Exception):
    pass


class InvalidTransition(Exception):
    pass


# The texts of one language version, and everything an author fills in: both made from the
# declared fields (listings/schema.py), so a new field needs no edit here.
Content = schema.content_class()
ListingDraft = schema.draft_class(Content)


def latest_allowed_expiry(today: date) -> date:
    return today + timedelta(days=MAX_LIFETIME_DAYS)


def default_expiry(today: date) -> date:
    return today + timedelta(days=DEFAULT_LIFETIME_DAYS)


def can_edit_listing(user: User, listing: Listing) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.institution_id == listing.institution_id and user.membership_status == MembershipStatus.ACTIVE


def can_post(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.active_institution is not None
                and user.email_confirmed)


# States in which the author edits the listing itself (nobody else sees it yet).
FREELY_EDITABLE = (ListingStatus.DRAFT, ListingStatus.SUBMITTED, ListingStatus.CHANGES_REQUESTED,
                   ListingStatus.REJECTED)
# States whose edits become a revision for moderators, while the public keeps the approved text.
REVIEWED_EDITS = (ListingStatus.PUBLISHED,)


class ListingService:
    def __init__(self, session: Session, on_change: Callable[[Session, Listing], None] | None = None) -> None:
        self.session = session
        self.on_change = on_change or listing_changed

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
        self.on_change(self.session, listing)
        return listing

    def update(self, actor: User, listing: Listing, draft: ListingDraft) -> None:
        """Edit everything; for a published listing this proposes a revision instead."""
        self._check_editable(actor, listing)
        if listing.status in REVIEWED_EDITS:
            from portal.moderation.snapshot import draft_snapshot

            self._propose(actor, listing, lambda base: draft_snapshot(base, draft))
            return
        apply_draft(listing, draft)
        set_text(listing, draft.language, draft.content)
        self._touch(listing)

    def set_translation(self, actor: User, listing: Listing, language: str, content: Content) -> None:
        self._check_editable(actor, listing)
        if listing.status in REVIEWED_EDITS:
            from portal.moderation.snapshot import with_text

            self._propose(actor, listing, lambda base: with_text(base, language, content))
            return
        set_text(listing, language, content)
        self._touch(listing)

    def delete_translation(self, actor: User, listing: Listing, language: str) -> None:
        self._check_editable(actor, listing)
        if language == listing.original_language:
            raise InvalidTransition  # the original stays; change the original language instead
        if listing.status in REVIEWED_EDITS:
            from portal.moderation.snapshot import with_text

            self._propose(actor, listing, lambda base: with_text(base, language, None))
            return
        translation = listing.translation(language)
        if translation is not None:
            listing.translations.remove(translation)
            self._touch(listing)

    def submit(self, actor: User, listing: Listing) -> None:
        if not can_edit_listing(actor, listing):
            raise NotAllowed
        if listing.status not in (ListingStatus.DRAFT, ListingStatus.CHANGES_REQUESTED, ListingStatus.REJECTED):
            raise InvalidTransition
        self._submit(actor, listing)

    def withdraw(self, actor: User, listing: Listing) -> None:
        if not can_edit_listing(actor, listing):
            raise NotAllowed
        if listing.status in (ListingStatus.WITHDRAWN, ListingStatus.SUSPENDED):
            raise InvalidTransition
        self._move(actor, listing, ListingStatus.WITHDRAWN, "withdrawn")

    def renew(self, actor: User, listing: Listing, today: date | None = None) -> None:
        """Another default lifetime from today; an expired listing comes back online."""
        if not can_edit_listing(actor, listing):
            raise NotAllowed
        if listing.status not in (ListingStatus.PUBLISHED, ListingStatus.EXPIRED):
            raise InvalidTransition
        listing.expires_at = end_of_day(default_expiry(today or utcnow().date()))
        self._move(actor, listing, ListingStatus.PUBLISHED, "renewed")

    # helpers
    def _submit(self, actor: User, listing: Listing) -> None:
        listing.submitted_at = utcnow()
        self._move(actor, listing, ListingStatus.SUBMITTED, "submitted")

    def _move(self, actor: User, listing: Listing, status: ListingStatus, action: str) -> None:
        from portal.moderation.models import Action
        from portal.moderation.services import record

        before = listing.status
        listing.status = status
        self.session.flush()
        record(self.session, listing, actor, Action(action), before, status)
        self.on_change(self.session, listing)

    def _propose(self, actor: User, listing: Listing, change: Callable[[dict], dict]) -> None:
        """Start or continue the author's revision of a published listing."""
        from portal.moderation.models import Action, ListingRevision, RevisionStatus
        from portal.moderation.services import open_revision, record
        from portal.moderation.snapshot import listing_snapshot

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
        record(self.session, listing, actor, Action.REVISION_SUBMITTED, listing.status, listing.status)

    def _check_editable(self, actor: User, listing: Listing) -> None:
        if not can_edit_listing(actor, listing):
            raise NotAllowed
        if listing.status not in (*FREELY_EDITABLE, *REVIEWED_EDITS):
            raise InvalidTransition

    def _touch(self, listing: Listing) -> None:
        listing.updated_at = utcnow()
        self.session.flush()
        self.on_change(self.session, listing)


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
