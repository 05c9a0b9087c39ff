"""Machine translations, stored apart from the language versions people wrote."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base, utcnow


class MachineTranslation(Base):
    """A listing's original (title, summary, description) in one other language, by an engine.

    Also the request for one: ``translated_at`` None means asked for, not made yet. ``due``
    tells the worker to make it (again): asked for, or its original changed since
    (``source_hash`` is the hash of the original it was made from). A reader sees it only while
    that hash is the original's own, and only where no person wrote that language."""

    __tablename__ = "machine_translations"
    __table_args__ = (UniqueConstraint("listing_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    source_language: Mapped[str] = mapped_column(String(8))
    source_hash: Mapped[str] = mapped_column(String(64), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(String(600), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    engine: Mapped[str] = mapped_column(String(120), default="")
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    translated_at: Mapped[datetime | None]
    due: Mapped[bool] = mapped_column(default=True, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed tries since it became due
    error: Mapped[str] = mapped_column(Text, default="")
