from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import Base, db_enum, utcnow


class ConceptRow(Base):
    """A thesaurus concept as loaded (``flask thesaurus load``); ``labels`` is
    ``{language: {"pref": label, "alt": [labels]}}``."""

    __tablename__ = "concepts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    uri: Mapped[str] = mapped_column(String(500))
    labels: Mapped[dict] = mapped_column(JSON, default=dict)
    broader: Mapped[list[str]] = mapped_column(JSON, default=list)
    related: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AnnotationSource(enum.StrEnum):
    AUTOMATIC = "automatic"  # found in the text by the annotator
    AUTHOR = "author"  # added by the listing's author


class ListingConcept(Base):
    """A listing is about a concept. ``rejected``: the author removed an automatic one, which
    the annotator must not bring back."""

    __tablename__ = "listing_concepts"

    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    source: Mapped[AnnotationSource] = mapped_column(db_enum(AnnotationSource, "annotation_source"))
    rejected: Mapped[bool] = mapped_column(Boolean, default=False)
    mentions: Mapped[int] = mapped_column(Integer, default=0)  # texts of the listing naming it
    # Named by a title, summary or keyword, or chosen by the author: what the listing is about,
    # not a concept its description names in passing (``thesaurus.annotator.Body``).
    prominent: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    forms: Mapped[list[str]] = mapped_column(JSON, default=list)  # as the texts wrote it

    concept: Mapped[ConceptRow] = relationship(lazy="joined")
