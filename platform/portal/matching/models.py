from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
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


class MatchText(Base):
    """What matching read in a listing's texts (``profile.TextAnalysis``, encoded), stored when
    its texts change, so that building the worker's index needs no text analysis. ``version``
    names the analyzer and the taxonomy it was made with; a row of another version is ignored
    (and written again by the next change, or by ``flask listings match``)."""

    __tablename__ = "match_texts"

    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True,
                                            autoincrement=False)
    version: Mapped[str] = mapped_column(String(40))
    languages: Mapped[str] = mapped_column(Text, default="")  # of the language versions, space-separated
    token_keys: Mapped[bytes] = mapped_column(LargeBinary, default=b"")  # 8 bytes a token (text.token_keys)
    counts: Mapped[bytes] = mapped_column(LargeBinary, default=b"")  # a byte a token (profile.half_texts)
    mentions: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
