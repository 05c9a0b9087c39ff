from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from portal.database import Base, db_enum, utcnow
from portal.institutions.names import name_key

if TYPE_CHECKING:
    from portal.users.models import User


class InstitutionType(enum.StrEnum):
    UNIVERSITY = "university"
    COMPANY = "company"
    RESEARCH_INSTITUTE = "research_institute"
    NGO = "ngo"
    GOVERNMENT = "government"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(INSTITUTION_TYPE_LABELS[self])


INSTITUTION_TYPE_LABELS = {
    InstitutionType.UNIVERSITY: _l("University"),
    InstitutionType.COMPANY: _l("Company"),
    InstitutionType.RESEARCH_INSTITUTE: _l("Research institute"),
    InstitutionType.NGO: _l("Non-governmental organisation"),
    InstitutionType.GOVERNMENT: _l("Government body"),
    InstitutionType.OTHER: _l("Other"),
}


class VerificationStatus(enum.StrEnum):
    UNVERIFIED = "unverified"
    VERIFIED = "verified"
    DETAILS_REQUESTED = "details_requested"


class Institution(Base):
    __tablename__ = "institutions"
    __table_args__ = (
        # The directory pages through institutions by name, within a country or a type.
        Index("ix_institutions_name", "name"),
        Index("ix_institutions_country_name", "country", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The name folded for the directory's search (institutions/names.py), kept with the name.
    search_name: Mapped[str] = mapped_column(String(800), default="")
    type: Mapped[InstitutionType] = mapped_column(db_enum(InstitutionType, "institution_type"))
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    verification: Mapped[VerificationStatus] = mapped_column(
        db_enum(VerificationStatus, "verification_status"), default=VerificationStatus.UNVERIFIED
    )
    # What a moderator asked the institution to clarify before verifying it.
    verification_message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[User]] = relationship(
        back_populates="institution", order_by="User.display_name"
    )

    @validates("name")
    def _keep_search_name(self, _key: str, name: str) -> str:
        self.search_name = name_key(name)
        return name

    @property
    def is_verified(self) -> bool:
        return self.verification == VerificationStatus.VERIFIED

