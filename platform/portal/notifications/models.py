from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import Base, db_enum, utcnow
from portal.notifications.kinds import Frequency, Kind

if TYPE_CHECKING:
    from portal.interests.models import Interest
    from portal.listings.models import Listing
    from portal.saved_searches.models import SavedSearch


class Notification(Base):
    """One thing a member was told, shown in the notification centre. Its sentence is made
    when it is shown, in the reader's language of the moment, from ``kind`` and ``data``."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),
                      Index("ix_notifications_delivery_digest", "delivery", "digest_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[Kind] = mapped_column(db_enum(Kind, "notification_kind"))
    delivery: Mapped[Frequency] = mapped_column(db_enum(Frequency, "notification_delivery"))
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    interest_id: Mapped[int | None] = mapped_column(ForeignKey("interests.id", ondelete="CASCADE"))
    saved_search_id: Mapped[int | None] = mapped_column(ForeignKey("saved_searches.id", ondelete="CASCADE"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("notification_digests.id", ondelete="SET NULL"))

    listing: Mapped[Listing | None] = relationship()
    interest: Mapped[Interest | None] = relationship()
    saved_search: Mapped[SavedSearch | None] = relationship()


class NotificationPreference(Base):
    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[Kind] = mapped_column(db_enum(Kind, "notification_kind"))
    frequency: Mapped[Frequency] = mapped_column(db_enum(Frequency, "notification_delivery"))


class Digest(Base):
    """A digest email, recorded before it is written: the unique key makes the job idempotent."""

    __tablename__ = "notification_digests"
    __table_args__ = (UniqueConstraint("user_id", "frequency", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    frequency: Mapped[Frequency] = mapped_column(db_enum(Frequency, "notification_delivery"))
    period_start: Mapped[date] = mapped_column(Date)
    items: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
