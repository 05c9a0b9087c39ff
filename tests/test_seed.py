"""The demo seed: idempotent, complete in every portal language, and varied enough to demo."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from portal.users.models import MembershipStatus, Role, User, moderator_scopes
from portal.database import utcnow
from portal.i18n.languages import FOCUS_COUNTRIES, LANGUAGES
from portal.institutions.models import Institution
from portal.listings.models import (Direction, Listing, ListingKind, ListingStatus,
                                    ListingTranslation, listing_topics)
from portal.taxonomy.models import Center, Topic
from seed.loader import DEMO_PASSWORD, EXTERNAL_KEY_PREFIX, SEED_DIR, load_seed

TABLES = (Center.__table__, Topic.__table__, Institution.__table__, User.__table__,
          moderator_scopes, Listing.__table__, ListingTranslation.__table__, listing_topics)


def _counts(session: Session) -> dict[str, int]:
    return {table.name: session.scalar(select(func.count()).select_from(table)) for table in TABLES}


def _seeded_listings(session: Session) -> list[Listing]:
    return list(session.scalars(
        select(Listing).where(Listing.external_key.startswith(EXTERNAL_KEY_PREFIX))))


def test_loading_twice_creates_and_changes_nothing(app, db_session):
    first = load_seed(db_session, app)
    counts = _counts(db_session)
    second = load_seed(db_session, app)

    assert first.changed_anything and first.created["listings"] >= 36
    assert _counts(db_session) == counts
    assert not second.changed_anything
    report = second.describe()
    assert "0 created" in report and "Nothing to do" in report
    assert DEMO_PASSWORD in report and "admin@demo.cca-portal.org" in report


def test_content_is_restored_but_lifecycle_state_is_kept(app, db_session):
    load_seed(db_session, app)
    topic = db_session.scalar(select(Topic).where(Topic.slug == "wind-power"))
    topic.names = {**topic.names, "kk": "changed"}
    listing = db_session.scalar(
        select(Listing).where(Listing.external_key == "seed:drip-irrigation-offer-tianshan"))
    listing.status = ListingStatus.WITHDRAWN
    listing.original.title = "changed"
    admin = db_session.scalar(select(User).where(User.email == "admin@demo.cca-portal.org"))
    admin.password_hash = "kept"
    db_session.flush()

    report = load_seed(db_session, app)

    assert report.updated["topics"] == 1 and report.updated["translations"] == 1
    assert topic.names["kk"] == "Жел энергетикасы"
    assert listing.original.title != "changed" and listing.status == ListingStatus.WITHDRAWN
    assert admin.password_hash == "kept"


def test_centers_and_topics_are_labelled_in_every_language(app, db_session):
    load_seed(db_session, app)
    centers = db_session.scalars(select(Center).order_by(Center.position)).all()
    assert [c.slug for c in centers] == [
        "poverty-reduction", "education-exchange", "desertification-control"]
    labelled = [*centers, *db_session.scalars(select(Topic))]
    assert len(labelled) >= 3 + 20
    for row in labelled:
        texts = [row.names] + ([row.descriptions] if isinstance(row, Center) else [])
        for text in texts:
            assert set(text) == set(LANGUAGES), row.slug
            assert all(value.strip() for value in text.values()), row.slug
        # A copied label is a missing translation (Kazakh and Kyrgyz may share a word).
        assert len(set(row.names.values())) >= 6, row.slug


def test_institutions_and_accounts(app, db_session):
    load_seed(db_session, app)
    institutions = db_session.scalars(select(Institution)).all()
    assert {i.country for i in institutions} >= set(FOCUS_COUNTRIES)
    verified = [i for i in institutions if i.is_verified]
    assert len(institutions) - 3 <= len(verified) < len(institutions)

    demo_users = select(User).where(User.email.endswith("@demo.cca-portal.org"))
    users = db_session.scalars(demo_users).all()
    assert all(u.email_confirmed for u in users)
    assert {u.preferred_language for u in users} == set(LANGUAGES)
    admin = next(u for u in users if u.email == "admin@demo.cca-portal.org")
    assert admin.role == Role.ADMIN and check_password_hash(admin.password_hash, DEMO_PASSWORD)
    scopes = [{c.slug for c in u.moderated_centers} for u in users if u.is_moderator]
    assert sorted(scopes, key=len) == [
        {"education-exchange"}, {"desertification-control", "poverty-reduction"}]
    assert sum(u.membership_status == MembershipStatus.PENDING for u in users) == 1
    assert all(u.active_institution for u in users if u.is_institution_admin)
    assert DEMO_PASSWORD in (SEED_DIR / "users.toml").read_text()


def test_listings_cover_centers_kinds_directions_and_languages(app, db_session):
    load_seed(db_session, app)
    listings = _seeded_listings(db_session)
    assert len(listings) >= 36
    assert {listing.center.slug for listing in listings} == {
        "poverty-reduction", "education-exchange", "desertification-control"}
    assert {listing.kind for listing in listings} == set(ListingKind)
    assert {listing.direction for listing in listings} == set(Direction)
    originals = Counter(listing.original_language for listing in listings)
    assert len(originals) >= 6 and all(originals[language] >= 2 for language in LANGUAGES)
    statuses = Counter(listing.status for listing in listings)
    assert statuses[ListingStatus.DRAFT] == 2 and statuses[ListingStatus.SUBMITTED] == 2
    assert statuses[ListingStatus.EXPIRED] == 1
    assert sum(len(listing.translations) > 1 for listing in listings) >= len(listings) // 2


def test_each_listing_is_consistent(app, db_session):
    load_seed(db_session, app)
    now = utcnow()
    for listing in _seeded_listings(db_session):
        key = listing.external_key
        assert listing.translation(listing.original_language) is not None, key
        assert listing.topics, key
        assert listing.author.active_institution == listing.institution, key
        assert listing.expires_at.tzinfo is not None, key
        if listing.status in (ListingStatus.DRAFT, ListingStatus.SUBMITTED):
            assert listing.published_at is None, key
        else:
            assert listing.published_at < now, key
            assert listing.is_public(now) == (listing.status == ListingStatus.PUBLISHED), key
            assert listing.institution.is_verified, key
        if listing.kind != ListingKind.TECHNOLOGY_TRANSFER:
            assert listing.trl is None and listing.ip_status is None, key
        if listing.kind != ListingKind.JOINT_RESEARCH:
            assert not listing.partner_roles and listing.funding is None, key
        if listing.kind != ListingKind.YOUTH_EXCHANGE:
            assert listing.participants is None and listing.age_min is None, key
        for text in listing.translations:
            assert 0 < len(text.title) <= 120 and 0 < len(text.summary) <= 400, (key, text.language)
            assert len(text.description.split("\n\n")) >= 2, (key, text.language)


def test_complementary_drip_irrigation_pair(app, db_session):
    load_seed(db_session, app)

    def published_drip(direction: Direction, language: str, country: str) -> list[Listing]:
        return [listing for listing in _seeded_listings(db_session)
                if "water-saving-irrigation" in {topic.slug for topic in listing.topics}
                and listing.kind == ListingKind.TECHNOLOGY_TRANSFER
                and listing.status == ListingStatus.PUBLISHED and listing.direction == direction
                and listing.original_language == language
                and listing.institution.country == country]

    request = published_drip(Direction.REQUEST, "kk", "KZ")
    offer = published_drip(Direction.OFFER, "zh", "CN")
    assert request and offer
    assert all(listing.center.slug == "desertification-control" for listing in request + offer)
    assert "TRL" in offer[0].original.description and offer[0].trl == 9
