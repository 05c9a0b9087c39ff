from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import Base, db_enum, utcnow

if TYPE_CHECKING:
    from portal.users.models import User
    from portal.institutions.models import Institution
    from portal.listings.models import Listing


class InterestStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class DeclineReason(enum.StrEnum):
    NOT_A_FIT = "not_a_fit"
    ALREADY_PARTNERED = "already_partnered"
    OUTSIDE_COUNTRIES = "outside_countries"
    NOT_NOW = "not_now"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(DECLINE_LABELS[self])


DECLINE_LABELS = {
    DeclineReason.NOT_A_FIT: _l("Not a fit for what we need"),
    DeclineReason.ALREADY_PARTNERED: _l("We already have a partner for this"),
    DeclineReason.OUTSIDE_COUNTRIES: _l("Outside the countries we work with"),
    DeclineReason.NOT_NOW: _l("Not at the moment"),
    DeclineReason.OTHER: _l("Another reason"),
}


class Outcome(enum.StrEnum):
    TALKS_ONGOING = "talks_ongoing"
    AGREEMENT_SIGNED = "agreement_signed"
    PROJECT_STARTED = "project_started"

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self])


OUTCOME_LABELS = {
    Outcome.TALKS_ONGOING: _l("Talks ongoing"),
    Outcome.AGREEMENT_SIGNED: _l("Agreement signed"),
    Outcome.PROJECT_STARTED: _l("Project started"),
}


class Interest(Base):
    __tablename__ = "interests"
    __table_args__ = (
        Index("ix_interests_sender_created", "sender_id", "created_at"),
        # A listing's first interest (the statistics' time to first interest) from the index alone.
        Index("ix_interests_listing_created", "listing_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[InterestStatus] = mapped_column(db_enum(InterestStatus, "interest_status"),
                                                  default=InterestStatus.PENDING)
    decline_reason: Mapped[DeclineReason | None] = mapped_column(db_enum(DeclineReason, "decline_reason"))
    decline_message: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[Outcome | None] = mapped_column(db_enum(Outcome, "interest_outcome"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    listing: Mapped[Listing] = relationship()
    institution: Mapped[Institution] = relationship()
    sender: Mapped[User | None] = relationship()
    messages: Mapped[list[InterestMessage]] = relationship(back_populates="interest", order_by="InterestMessage.id",
                                                           cascade="all, delete-orphan")


class InterestMessage(Base):
    __tablename__ = "interest_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    interest_id: Mapped[int] = mapped_column(ForeignKey("interests.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    interest: Mapped[Interest] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()


class InstitutionBlock(Base):
    """An institution that no longer accepts interest from another one."""

    __tablename__ = "institution_blocks"
    __table_args__ = (UniqueConstraint("institution_id", "blocked_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"))
    blocked_id: Mapped[int] = mapped_column(ForeignKey("institutions.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
