from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base


class ThrottleCounter(Base):
    """Failure counter for one key (account or client address) in its current window."""

    __tablename__ = "throttle_counters"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    window_ends_at: Mapped[datetime]
