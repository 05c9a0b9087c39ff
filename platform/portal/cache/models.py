from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base


class CachedValue(Base):
    """A value computed by one process for all of them, until ``expires_at`` (without Redis)."""

    __tablename__ = "cached_values"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
    expires_at: Mapped[datetime]


class CachedPage(Base):
    """A public page as an anonymous visitor got it (without Redis): its compressed body and
    headers, valid while ``generation`` is the current one and until ``expires_at``. The row
    keyed ``GENERATION_KEY`` holds the current generation itself and never expires."""

    __tablename__ = "cached_pages"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger)
    headers: Mapped[str] = mapped_column(Text)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime]
