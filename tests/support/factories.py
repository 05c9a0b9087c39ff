"""Builders for test data. Each flushes, so ids exist; the test's transaction is rolled back."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from portal.users.models import MembershipStatus, Role, User
from portal.users.roles import grant_moderation
from portal.database import utcnow
from portal.i18n.languages import LANGUAGES
from portal.institutions.models import Institution, InstitutionType, VerificationStatus
from portal.listings.models import Direction, Listing, ListingKind, ListingStatus, ListingTranslation
from portal.taxonomy.models import Center, Topic

PASSWORD = "correct horse battery"
_sequence = itertools.count(1)

CENTER_NAMES = {
    "poverty-reduction": "Poverty reduction",
    "education-exchange": "Education exchange",
    "desertification-control": "Desertification prevention and control",
}


def _all_languages(english: str) -> dict[str, str]:
    return {code: f"{english} [{code}]" if code != "en" else english for code in LANGUAGES}


class Factory:
    def __init__(self, session: Session) -> None:
        self.session = session

    def center(self, slug: str = "desertification-control") -> Center:
        center = self.session.scalar(select(Center).where(Center.slug == slug))
        if center is None:
            center = Center(slug=slug, position=len(CENTER_NAMES), names=_all_languages(CENTER_NAMES.get(slug, slug)),
                            descriptions=_all_languages(f"About {slug}"))
            self.session.add(center)
            self.session.flush()
        return center

    def centers(self) -> list[Center]:
        return [self.center(slug) for slug in CENTER_NAMES]

    def topic(self, slug: str, center: Center | None = None, **names: str) -> Topic:
        topic = Topic(slug=slug, center=center, names=names or _all_languages(slug.replace("-", " ")))
        self.session.add(topic)
        self.session.flush()
        return topic

    def institution(self, name: str | None = None, country: str = "KZ", verified: bool = True,
                    type: InstitutionType = InstitutionType.UNIVERSITY) -> Institution:
        institution = Institution(
            name=name or f"Institution {next(_sequence)}", type=type, country=country, city="Almaty",
            verification=VerificationStatus.VERIFIED if verified else VerificationStatus.UNVERIFIED)
        self.session.add(institution)
        self.session.flush()
        return institution

    def user(self, email: str | None = None, *, institution: Institution | None = None,
             institution_admin: bool = False, pending: bool = False, role: Role = Role.MEMBER,
             language: str = "en", confirmed: bool = True, password: str = PASSWORD,
             name: str | None = None) -> User:
        number = next(_sequence)
        user = User(
            email=(email or f"user{number}@example.org").lower(),
            password_hash=generate_password_hash(password, method="scrypt:1024:8:1"),
            display_name=name or f"User {number}", preferred_language=language, role=role,
            email_confirmed_at=utcnow() if confirmed else None,
        )
        if institution is not None:
            user.institution = institution
            user.membership_status = MembershipStatus.PENDING if pending else MembershipStatus.ACTIVE
            user.is_institution_admin = institution_admin
        self.session.add(user)
        self.session.flush()
        return user

    def moderator(self, *centers: Center, email: str | None = None) -> User:
        user = self.user(email)
        grant_moderation(user, centers)
        self.session.flush()
        return user

    def listing(self, *, institution: Institution | None = None, center: Center | None = None,
                title: str = "Drip irrigation for cotton fields", summary: str = "A field-proven system.",
                description: str = "Details.", language: str = "en",
                kind: ListingKind = ListingKind.TECHNOLOGY_TRANSFER, direction: Direction = Direction.OFFER,
                status: ListingStatus = ListingStatus.PUBLISHED, expires_in_days: int = 90,
                translations: dict[str, tuple[str, str, str]] | None = None,
                topics: list[Topic] | None = None) -> Listing:
        now = utcnow()
        listing = Listing(
            center=center or self.center(), kind=kind, direction=direction, status=status,
            institution=institution or self.institution(), original_language=language,
            published_at=now - timedelta(days=1) if status == ListingStatus.PUBLISHED else None,
            expires_at=now + timedelta(days=expires_in_days), topics=topics or [],
        )
        listing.translations.append(ListingTranslation(language=language, title=title, summary=summary,
                                                        description=description))
        for code, (t_title, t_summary, t_description) in (translations or {}).items():
            listing.translations.append(ListingTranslation(language=code, title=t_title, summary=t_summary,
                                                           description=t_description))
        self.session.add(listing)
        self.session.flush()
        return listing


@pytest.fixture()
def make(db_session: Session) -> Factory:
    return Factory(db_session)
