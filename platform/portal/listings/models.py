from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import Base, db_enum, utcnow

if TYPE_CHECKING:
    from portal.users.models import User
    from portal.institutions.models import Institution
    from portal.taxonomy.models import Center, Topic


class ListingKind(enum.StrEnum):
    JOINT_RESEARCH = "joint_research"
    TECHNOLOGY_TRANSFER = "technology_transfer"
    YOUTH_EXCHANGE = "youth_exchange"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


class Direction(enum.StrEnum):
    OFFER = "offer"
    REQUEST = "request"

    @property
    def label(self) -> str:
        return str(DIRECTION_LABELS[self])


class ListingStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    PUBLISHED = "published"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


class IPStatus(enum.StrEnum):
    PATENT_GRANTED = "patent_granted"
    PATENT_PENDING = "patent_pending"
    KNOW_HOW = "know_how"
    OPEN = "open"

    @property
    def label(self) -> str:
        return str(IP_STATUS_LABELS[self])


class FundingStatus(enum.StrEnum):
    FUNDED = "funded"
    PARTLY_FUNDED = "partly_funded"
    SEEKING_FUNDING = "seeking_funding"
    APPLYING_TOGETHER = "applying_together"

    @property
    def label(self) -> str:
        return str(FUNDING_LABELS[self])


class PartnerRole(enum.StrEnum):
    RESEARCH_PARTNER = "research_partner"
    INDUSTRY_PARTNER = "industry_partner"
    PILOT_SITE = "pilot_site"
    HOST_INSTITUTION = "host_institution"
    FUNDER = "funder"
    TRAINING_PARTNER = "training_partner"

    @property
    def label(self) -> str:
        return str(PARTNER_ROLE_LABELS[self])


IP_STATUS_LABELS = {
    IPStatus.PATENT_GRANTED: _l("Patent granted"),
    IPStatus.PATENT_PENDING: _l("Patent pending"),
    IPStatus.KNOW_HOW: _l("Know-how"),
    IPStatus.OPEN: _l("Open (no restrictions)"),
}
FUNDING_LABELS = {
    FundingStatus.FUNDED: _l("Funded"),
    FundingStatus.PARTLY_FUNDED: _l("Partly funded"),
    FundingStatus.SEEKING_FUNDING: _l("Seeking funding"),
    FundingStatus.APPLYING_TOGETHER: _l("Applying for funding together"),
}
#: Technology readiness levels (after the EU/NASA scale), as offered on forms and shown on pages.
TRL_LABELS = {
    1: _l("1 — basic principles observed"),
    2: _l("2 — technology concept formulated"),
    3: _l("3 — experimental proof of concept"),
    4: _l("4 — validated in the laboratory"),
    5: _l("5 — validated in a relevant environment"),
    6: _l("6 — demonstrated in a relevant environment"),
    7: _l("7 — prototype demonstrated in operation"),
    8: _l("8 — system complete and qualified"),
    9: _l("9 — proven in operation"),
}


PARTNER_ROLE_LABELS = {
    PartnerRole.RESEARCH_PARTNER: _l("Research partner"),
    PartnerRole.INDUSTRY_PARTNER: _l("Industrial partner"),
    PartnerRole.PILOT_SITE: _l("Pilot or field-test site"),
    PartnerRole.HOST_INSTITUTION: _l("Host institution"),
    PartnerRole.FUNDER: _l("Funder or investor"),
    PartnerRole.TRAINING_PARTNER: _l("Training partner"),
}
KIND_LABELS = {
    ListingKind.JOINT_RESEARCH: _l("Joint research"),
    ListingKind.TECHNOLOGY_TRANSFER: _l("Technology transfer"),
    ListingKind.YOUTH_EXCHANGE: _l("Youth exchange"),
}
DIRECTION_LABELS = {
    # i18n: a listing that offers something (technology, places, expertise)
    Direction.OFFER: _l("Offer"),
    # i18n: a listing that seeks something (a partner, a technology)
    Direction.REQUEST: _l("Request"),
}
STATUS_LABELS = {
    ListingStatus.DRAFT: _l("Draft"),
    ListingStatus.SUBMITTED: _l("Submitted for review"),
    ListingStatus.CHANGES_REQUESTED: _l("Changes requested"),
    ListingStatus.REJECTED: _l("Rejected"),
    ListingStatus.PUBLISHED: _l("Published"),
    ListingStatus.SUSPENDED: _l("Suspended"),
    ListingStatus.EXPIRED: _l("Expired"),
    ListingStatus.WITHDRAWN: _l("Withdrawn"),
}

listing_topics = Table(
    "listing_topics",
    Base.metadata,
    Column("listing_id", Integer, ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", Integer, ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True),
    # A topic's listings (related listings, topic filters) without reading the whole table.
    Index("ix_listing_topics_topic_listing", "topic_id", "listing_id"),
)


class Listing(Base):
    __tablename__ = "listings"
    __table_args__ = (
        # The newest public listings (home page, feeds, related listings) without a sort of all,
        # overall and per center; the center's counts read only its index entries.
        Index("ix_listings_status_published", "status", "published_at", "id"),
        Index("ix_listings_center_status_published", "center_id", "status", "published_at", "id"),
        # The public statistics (portal/statistics) group listings by these columns: the index
        # covers them, so the aggregations read no table row, overall or for one center.
        Index("ix_listings_statistics", "status", "center_id", "kind", "direction", "published_at", "expires_at",
              "institution_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), index=True)
    kind: Mapped[ListingKind] = mapped_column(db_enum(ListingKind, "listing_kind"))
    direction: Mapped[Direction] = mapped_column(db_enum(Direction, "listing_direction"))
    status: Mapped[ListingStatus] = mapped_column(
        db_enum(ListingStatus, "listing_status"), default=ListingStatus.DRAFT, index=True
    )
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    original_language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]
    # Seed and import use this to stay idempotent; ordinary listings leave it empty.
    external_key: Mapped[str | None] = mapped_column(String(120), unique=True)

    # Details shared by every kind.
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    # keyword -> its language, when known (an import may say; the posting form does not ask)
    keyword_languages: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    target_countries: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO 3166 codes; empty: any
    working_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Technology transfer.
    trl: Mapped[int | None] = mapped_column(Integer)  # technology readiness level 1–9
    ip_status: Mapped[IPStatus | None] = mapped_column(db_enum(IPStatus, "ip_status"))
    # Youth exchange.
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    participants: Mapped[int | None] = mapped_column(Integer)
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    # Joint research.
    partner_roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    funding: Mapped[FundingStatus | None] = mapped_column(db_enum(FundingStatus, "funding_status"))

    # Moderation: the last message to the author, and when the current review started.
    moderation_message: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]

    center: Mapped[Center] = relationship()
    institution: Mapped[Institution] = relationship()
    author: Mapped[User | None] = relationship()
    translations: Mapped[list[ListingTranslation]] = relationship(
        back_populates="listing", cascade="all, delete-orphan", order_by="ListingTranslation.id"
    )
    topics: Mapped[list[Topic]] = relationship(secondary=listing_topics, order_by="Topic.slug")

    def translation(self, language: str) -> ListingTranslation | None:
        return next((t for t in self.translations if t.language == language), None)

    @property
    def original(self) -> ListingTranslation:
        return self.translation(self.original_language) or self.translations[0]

    def content_for(self, language: str) -> ListingTranslation:
        """The viewer's language when the listing has it, else the original."""
        return self.translation(language) or self.original

    @property
    def languages(self) -> list[str]:
        return [t.language for t in self.translations]

    def is_public(self, now: datetime | None = None) -> bool:
        return self.status == ListingStatus.PUBLISHED and self.expires_at > (now or utcnow())


class ListingTranslation(Base):
    """One language version of a listing's text; the original is one of them."""

    __tablename__ = "listing_translations"
    __table_args__ = (UniqueConstraint("listing_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(600))
    description: Mapped[str] = mapped_column(Text, default="")

    listing: Mapped[Listing] = relationship(back_populates="translations")
