"""The change log's two tables (named ``search_*`` since migration 0008 created them for search)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base, utcnow


class ChangeState(Base):
    """One row: the latest change to anything search shows. Each change takes a new ``token``
    under the row's lock, so app processes can tell whether their facet index is current."""

    __tablename__ = "search_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)
    token: Mapped[str] = mapped_column(String(32))


class ListingChange(Base):
    """Which listings a change touched (None: all of them), so an index can catch up."""

    __tablename__ = "search_changes"

    generation: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    listing_ids: Mapped[list[int] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
