from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base


class CachedValue(Base):
    """A value computed by one process for all of them, until ``expires_at`` (without Redis)."""

    __tablename__ = "cached_values"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
    expires_at: Mapped[datetime]
