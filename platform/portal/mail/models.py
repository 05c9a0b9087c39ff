"""The outbox: every email the portal wrote, and how its delivery went."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base, db_enum, utcnow


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for the worker (again, after a failed try)
    KEPT = "kept"      # no SMTP configured: readable only in the outbox
    SENT = "sent"
    FAILED = "failed"  # the worker gave up after MAIL_MAX_ATTEMPTS tries


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[DeliveryStatus] = mapped_column(db_enum(DeliveryStatus, "delivery_status"))
    error: Mapped[str] = mapped_column(Text, default="")  # of the last failed try
    attempts: Mapped[int] = mapped_column(default=0)
    # When the worker may try next; None once nothing more will be tried (sent, kept, failed).
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
