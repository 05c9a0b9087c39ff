"""A listing's history: every change of status is an event (the audit trail), and an edit of a
published listing is a revision the public does not see until a moderator approves it.

Written by the listings' services and by moderation's decisions alike; read by the listing
page, the moderation queue and the statistics.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from portal.database import Base, db_enum, utcnow

if TYPE_CHECKING:
    from portal.listings.models import Listing
    from portal.users.models import User


class Action(enum.StrEnum):
    """What happened to a listing; every state change is one event."""

    SUBMITTED = "submitted"
    REVISION_SUBMITTED = "revision_submitted"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    PUBLISHED = "published"
    EXPIRED = "expired"
    RENEWED = "renewed"
    WITHDRAWN = "withdrawn"
    SUSPENDED = "suspended"
    RESTORED = "restored"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])


ACTION_LABELS = {
    Action.SUBMITTED: _l("Submitted for review"),
    Action.REVISION_SUBMITTED: _l("Edit submitted for review"),
    Action.APPROVED: _l("Approved"),
    Action.CHANGES_REQUESTED: _l("Changes requested"),
    Action.REJECTED: _l("Rejected"),
    Action.PUBLISHED: _l("Published"),
    Action.EXPIRED: _l("Expired"),
    Action.RENEWED: _l("Renewed"),
    Action.WITHDRAWN: _l("Withdrawn"),
    Action.SUSPENDED: _l("Suspended"),
    Action.RESTORED: _l("Restored"),
}


class RejectionReason(enum.StrEnum):
    INCOMPLETE = "incomplete"
    OUT_OF_SCOPE = "out_of_scope"
    ADVERTISING = "advertising"
    DUPLICATE = "duplicate"
    INAPPROPRIATE = "inappropriate"

    @property
    def label(self) -> str:
        return str(REJECTION_LABELS[self])


REJECTION_LABELS = {
    RejectionReason.INCOMPLETE: _l("Incomplete"),
    RejectionReason.OUT_OF_SCOPE: _l("Outside the centers' scope"),
    RejectionReason.ADVERTISING: _l("Commercial advertising"),
    RejectionReason.DUPLICATE: _l("Duplicate"),
    RejectionReason.INAPPROPRIATE: _l("Inappropriate"),
}


class ListingEvent(Base):
    """The audit trail: who did what to which listing, when, from which state to which."""

    __tablename__ = "listing_events"
    __table_args__ = (Index("ix_listing_events_listing_at", "listing_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[Action] = mapped_column(db_enum(Action, "listing_action"), index=True)
    from_status: Mapped[str] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    reason: Mapped[RejectionReason | None] = mapped_column(db_enum(RejectionReason, "rejection_reason"))
    message: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    listing: Mapped[Listing] = relationship()
    actor: Mapped[User | None] = relationship()


class RevisionStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CHANGES_REQUESTED = "changes_requested"
    WITHDRAWN = "withdrawn"


class ListingRevision(Base):
    """A proposed edit of a published listing. The public keeps the approved version until a
    moderator approves this one; ``content`` is the whole listing as the author wants it."""

    __tablename__ = "listing_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[RevisionStatus] = mapped_column(db_enum(RevisionStatus, "revision_status"),
                                                   default=RevisionStatus.PENDING, index=True)
    content: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    listing: Mapped[Listing] = relationship()
    author: Mapped[User | None] = relationship()


def record(session: Session, listing: Listing, actor: User | None, action: Action, from_status: str,
           to_status: str, *, message: str = "", reason: RejectionReason | None = None) -> ListingEvent:
    event = ListingEvent(listing_id=listing.id, actor_id=actor.id if actor else None, action=action,
                         from_status=str(from_status), to_status=str(to_status), message=message, reason=reason)
    session.add(event)
    session.flush()
    return event


def open_revision(session: Session, listing_id: int) -> ListingRevision | None:
    """The author's pending (or sent back) edit of a published listing, if any."""
    return session.scalar(select(ListingRevision).where(
        ListingRevision.listing_id == listing_id,
        ListingRevision.status.in_((RevisionStatus.PENDING, RevisionStatus.CHANGES_REQUESTED)))
        .order_by(ListingRevision.id.desc()))


def last_event(session: Session, listing_id: int) -> ListingEvent | None:
    return session.scalar(select(ListingEvent).where(ListingEvent.listing_id == listing_id)
                          .order_by(ListingEvent.at.desc(), ListingEvent.id.desc()))
