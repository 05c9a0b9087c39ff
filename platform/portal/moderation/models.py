from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import Base, db_enum, utcnow
# A listing's history and revisions belong to the listing; moderation decides on them.
from portal.listings.history import (  # noqa: F401 - re-exported for moderation's modules
    ACTION_LABELS,
    REJECTION_LABELS,
    Action,
    ListingEvent,
    ListingRevision,
    RejectionReason,
    RevisionStatus,
)

if TYPE_CHECKING:
    from portal.users.models import User
    from portal.interests.models import Interest
    from portal.listings.models import Listing


class ReportReason(enum.StrEnum):
    SPAM = "spam"
    MISLEADING = "misleading"
    INAPPROPRIATE = "inappropriate"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(REPORT_LABELS[self])


REPORT_LABELS = {
    ReportReason.SPAM: _l("Spam"),
    ReportReason.MISLEADING: _l("Misleading"),
    ReportReason.INAPPROPRIATE: _l("Inappropriate"),
    ReportReason.OTHER: _l("Other"),
}


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    ACTED_ON = "acted_on"


class ListingReport(Base):
    __tablename__ = "listing_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    # Set when the listing's institution reports an expression of interest it received.
    interest_id: Mapped[int | None] = mapped_column(ForeignKey("interests.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[ReportReason] = mapped_column(db_enum(ReportReason, "report_reason"))
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ReportStatus] = mapped_column(db_enum(ReportStatus, "report_status"),
                                                 default=ReportStatus.OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None]

    listing: Mapped[Listing] = relationship()
    interest: Mapped[Interest | None] = relationship()
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])


class ExpiryReminder(Base):
    """One row per reminder sent, so the expiry job never sends the same reminder twice."""

    __tablename__ = "expiry_reminders"
    __table_args__ = (UniqueConstraint("listing_id", "days_before", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    days_before: Mapped[int]
    expires_at: Mapped[datetime]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
