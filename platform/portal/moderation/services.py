"""Moderation decisions, revisions and the audit trail. Plain Python: the acting user and the
session are passed in; the caller commits and notifies.

Which decision is possible in which status is ``portal.listings.lifecycle``'s table.
Two moderators may act on the same item at the same moment. Every decision is a conditional
UPDATE ("… WHERE status = 'submitted'"): the database lets exactly one of them change the row,
and the other learns who decided what (``AlreadyDecided``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.users.models import Role, User
from portal.users.roles import can_moderate
from portal.database import utcnow
from portal.changes.signals import announce_listing_changed
from portal.listings import lifecycle
from portal.listings.models import Listing, ListingStatus
from portal.moderation.models import (
    Action,
    ListingEvent,
    ListingReport,
    ListingRevision,
    RejectionReason,
    ReportReason,
    ReportStatus,
    RevisionStatus,
)
from portal.listings.history import last_event, open_revision, record  # noqa: F401 - re-exported
from portal.listings.snapshot import apply_snapshot

if TYPE_CHECKING:
    from portal.interests.models import Interest


class NotAllowed(Exception):
    pass


class AlreadyDecided(Exception):
    """Someone else decided first; ``event`` says who, what and when."""

    def __init__(self, event: ListingEvent | None) -> None:
        super().__init__("already decided")
        self.event = event


class Decision:
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    ALL = (APPROVE, REQUEST_CHANGES, REJECT)


@dataclass(frozen=True)
class Outcome:
    listing: Listing
    event: ListingEvent
    revision: ListingRevision | None = None


class ModerationService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def announce(self, listing: Listing) -> None:
        """Search, subjects and suggestions follow the decision once it is committed."""
        announce_listing_changed(self.session, [listing.id])

    def _require(self, moderator: User, action: lifecycle.Action, listing: Listing) -> None:
        """Refuse what the lifecycle does not allow; a listing that has moved on since the
        moderator's page was drawn reads as someone else having decided (``AlreadyDecided``)."""
        refused = lifecycle.refusal(moderator, action, listing)
        if refused is lifecycle.Refusal.NOT_PERMITTED:
            raise NotAllowed
        if refused is lifecycle.Refusal.NOT_NOW:
            raise AlreadyDecided(last_event(self.session, listing.id))

    # decisions on a first submission or on a pending revision
    def decide(self, moderator: User, listing: Listing, decision: str, *, revision_id: int | None = None,
               message: str = "", reason: RejectionReason | None = None) -> Outcome:
        self._require(moderator, lifecycle.Action.DECIDE if revision_id is None else lifecycle.Action.DECIDE_EDIT,
                      listing)
        if decision not in Decision.ALL:
            raise ValueError(decision)
        if decision == Decision.REJECT and reason is None:
            raise ValueError("a rejection needs a reason")
        if revision_id is not None:
            return self._decide_revision(moderator, listing, revision_id, decision, message, reason)
        return self._decide_submission(moderator, listing, decision, message, reason)

    def _decide_submission(self, moderator: User, listing: Listing, decision: str, message: str,
                           reason: RejectionReason | None) -> Outcome:
        now = utcnow()
        target = {Decision.APPROVE: ListingStatus.PUBLISHED, Decision.REQUEST_CHANGES: ListingStatus.CHANGES_REQUESTED,
                  Decision.REJECT: ListingStatus.REJECTED}[decision]
        values: dict = {"status": target, "moderation_message": message}
        if target == ListingStatus.PUBLISHED:
            values["published_at"] = now
        won = self.session.execute(
            update(Listing).where(Listing.id == listing.id, Listing.status == ListingStatus.SUBMITTED)
            .values(**values).execution_options(synchronize_session=False)).rowcount
        if not won:
            raise AlreadyDecided(last_event(self.session, listing.id))
        self.session.refresh(listing)
        action = {Decision.APPROVE: Action.APPROVED, Decision.REQUEST_CHANGES: Action.CHANGES_REQUESTED,
                  Decision.REJECT: Action.REJECTED}[decision]
        event = record(self.session, listing, moderator, action, ListingStatus.SUBMITTED, target,
                       message=message, reason=reason)
        if target == ListingStatus.PUBLISHED:
            self.announce(listing)
        return Outcome(listing, event)

    def _decide_revision(self, moderator: User, listing: Listing, revision_id: int, decision: str, message: str,
                         reason: RejectionReason | None) -> Outcome:
        target = {Decision.APPROVE: RevisionStatus.APPROVED, Decision.REQUEST_CHANGES: RevisionStatus.CHANGES_REQUESTED,
                  Decision.REJECT: RevisionStatus.REJECTED}[decision]
        won = self.session.execute(
            update(ListingRevision).where(ListingRevision.id == revision_id, ListingRevision.listing_id == listing.id,
                                          ListingRevision.status == RevisionStatus.PENDING)
            .values(status=target, decided_at=utcnow()).execution_options(synchronize_session=False)).rowcount
        if not won:
            raise AlreadyDecided(last_event(self.session, listing.id))
        revision = self.session.get(ListingRevision, revision_id, populate_existing=True)
        if decision == Decision.APPROVE:
            apply_snapshot(self.session, listing, revision.content)
            listing.updated_at = utcnow()
            self.session.flush()
            self.announce(listing)
        listing.moderation_message = message
        action = {Decision.APPROVE: Action.APPROVED, Decision.REQUEST_CHANGES: Action.CHANGES_REQUESTED,
                  Decision.REJECT: Action.REJECTED}[decision]
        # The listing itself stays published throughout: only the edit was decided on.
        event = record(self.session, listing, moderator, action, listing.status, listing.status,
                       message=message, reason=reason)
        return Outcome(listing, event, revision)

    # reports, suspension
    def report(self, reporter: User, listing: Listing, reason: ReportReason, text: str,
               interest: Interest | None = None) -> ListingReport:
        """A report about ``listing``, or about an ``interest`` its institution received."""
        if interest is None and not lifecycle.can(reporter, lifecycle.Action.REPORT, listing):
            raise NotAllowed
        report = ListingReport(listing_id=listing.id, reporter_id=reporter.id, reason=reason, text=text,
                               interest_id=interest.id if interest else None)
        self.session.add(report)
        self.session.flush()
        return report

    def dismiss_report(self, moderator: User, report: ListingReport) -> None:
        if not can_moderate(moderator, report.listing.center):
            raise NotAllowed
        self._close_report(report, moderator, ReportStatus.DISMISSED)

    def suspend(self, moderator: User, listing: Listing, message: str) -> Outcome:
        self._require(moderator, lifecycle.Action.SUSPEND, listing)
        outcome = self._switch(moderator, listing, ListingStatus.PUBLISHED, ListingStatus.SUSPENDED,
                               Action.SUSPENDED, message)
        for report in self.session.scalars(select(ListingReport).where(
                ListingReport.listing_id == listing.id, ListingReport.status == ReportStatus.OPEN)):
            self._close_report(report, moderator, ReportStatus.ACTED_ON)
        return outcome

    def restore(self, moderator: User, listing: Listing, message: str = "") -> Outcome:
        self._require(moderator, lifecycle.Action.RESTORE, listing)
        return self._switch(moderator, listing, ListingStatus.SUSPENDED, ListingStatus.PUBLISHED,
                            Action.RESTORED, message)

    def _switch(self, moderator: User, listing: Listing, source: ListingStatus, target: ListingStatus,
                action: Action, message: str) -> Outcome:
        # The conditional UPDATE settles a race the lifecycle check above cannot see.
        won = self.session.execute(
            update(Listing).where(Listing.id == listing.id, Listing.status == source)
            .values(status=target, moderation_message=message).execution_options(synchronize_session=False)).rowcount
        if not won:
            raise AlreadyDecided(last_event(self.session, listing.id))
        self.session.refresh(listing)
        self.announce(listing)
        return Outcome(listing, record(self.session, listing, moderator, action, source, target, message=message))

    def _close_report(self, report: ListingReport, moderator: User, status: ReportStatus) -> None:
        report.status = status
        report.handled_by_id = moderator.id
        report.handled_at = utcnow()


def moderated_center_ids(user: User) -> list[int] | None:
    """The centers whose queue ``user`` sees; ``None`` means every center (administrators)."""
    if user.role == Role.ADMIN:
        return None
    return [center.id for center in user.moderated_centers] if user.role == Role.MODERATOR else []



def age_in_hours(since: datetime | None, now: datetime | None = None) -> float:
    if since is None:
        return 0.0
    return ((now or utcnow()) - since).total_seconds() / 3600
