from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base, utcnow


class ListingMatch(Base):
    """A suggested partner of a listing, computed when a listing is published, read by pages."""

    __tablename__ = "listing_matches"
    __table_args__ = (Index("ix_listing_matches_listing_score", "listing_id", "score"),)

    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    caveats: Mapped[list] = mapped_column(JSON, default=list)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    rank: Mapped[int] = mapped_column(Integer, default=0)
