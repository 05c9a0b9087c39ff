from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base, db_enum, utcnow


class Alert(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class SavedSearch(Base):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    query: Mapped[str] = mapped_column(String(4000))  # the search page's query string, page left out
    alert: Mapped[Alert] = mapped_column(db_enum(Alert, "saved_search_alert"), default=Alert.DAILY)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Listings published after this moment are new to the alert.
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
