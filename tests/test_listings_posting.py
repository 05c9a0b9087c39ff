"""Posting and managing listings through the pages."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.users.models import Role
from portal.database import utcnow
from portal.listings.models import Listing, ListingKind, ListingStatus
from tests.support.factories import PASSWORD


def _form(center, **overrides):
    data = {
        "center": str(center.id), "kind": "technology_transfer", "direction": "offer", "language": "ru",
        "title": "Капельное орошение для хлопковых полей",
        "summary": "Проверенная в поле система капельного орошения.",
        "description": "Первый абзац.\n\nВторой абзац со ссылкой https://example.org/drip",
        "keywords": "капельное орошение, водосбережение, капельное орошение",
        "target_countries": ["KZ", "UZ"], "working_languages": ["ru", "zh"],
        "trl": "7", "ip_status": "patent_granted",
        "expires_on": (utcnow().date() + timedelta(days=200)).isoformat(),
        "submit": "y",
    }
    data.update(overrides)
    return data


def _poster(make, language="en"):
    institution = make.institution("Ferghana Valley Water Institute", country="UZ")
    user = make.user("poster@example.org", institution=institution, language=language)
    return institution, user


def test_member_posts_a_listing_for_their_institution(browser, db_session, make):
    center = make.center()
    topic = make.topic("drip-irrigation", center)
    institution, user = _poster(make)
    browser.sign_in("poster@example.org", PASSWORD)
    response = browser.submit("/en/listings/new", _form(center, topics=[str(topic.id)]), follow=True)
    page = response.get_data(as_text=True)
    assert "Your listing has been submitted for review." in page
    assert "Капельное орошение для хлопковых полей" in page
    assert "Submitted for review" in page  # the author sees the status

    listing = db_session.scalar(select(Listing).where(Listing.institution_id == institution.id))
    assert listing.status == ListingStatus.SUBMITTED
    assert listing.original_language == "ru" and listing.trl == 7
    assert listing.keywords == ["капельное орошение", "водосбережение"]  # duplicates dropped
    assert listing.topics == [topic] and listing.target_countries == ["KZ", "UZ"]
    assert listing.author_id == user.id


def test_kind_specific_fields_and_dates_are_validated(browser, db_session, make):
    center = make.center()
    _poster(make)
    browser.sign_in("poster@example.org", PASSWORD)
    past = (utcnow().date() - timedelta(days=1)).isoformat()
    too_far = (utcnow().date() + timedelta(days=800)).isoformat()
    page = browser.submit("/en/listings/new", _form(center, kind="youth_exchange", expires_on=past,
                                                    starts_on="2027-07-10", ends_on="2027-07-01",
                                                    age_min="30", age_max="18", title="")).get_data(as_text=True)
    assert "Choose a date in the future." in page
    assert "The last day cannot be before the first day." in page
    assert "The oldest age cannot be below the youngest age." in page
    assert "Enter a title." in page
    assert "Проверенная в поле система" in page  # what was typed is kept
    page = browser.submit("/en/listings/new", _form(center, expires_on=too_far)).get_data(as_text=True)
    assert "at most two years" in page
    page = browser.submit("/en/listings/new", {**_form(center, topics=["999999"], trl="12"),
                                               "center": "abc"}).get_data(as_text=True)
    assert "Not a valid choice" in page
    assert db_session.scalar(select(Listing)) is None


def test_html_in_text_is_shown_as_text(browser, client, db_session, make):
    center = make.center()
    _poster(make)
    make.user("admin@example.org", role=Role.ADMIN)
    browser.sign_in("poster@example.org", PASSWORD)
    browser.submit("/en/listings/new", _form(center, title="<script>alert(1)</script> Solar",
                                             description="<b>bold</b> and <img src=x onerror=alert(1)>"))
    listing = db_session.scalar(select(Listing))
    page = browser.get(f"/en/listings/{listing.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page and "&lt;img" in page
    assert '<a href="https://example.org/drip"' not in page  # not in this description


def test_paragraphs_and_links_are_rendered_safely(browser, db_session, make):
    center = make.center()
    _poster(make)
    browser.sign_in("poster@example.org", PASSWORD)
    browser.submit("/en/listings/new", _form(center))
    listing = db_session.scalar(select(Listing))
    page = browser.get(f"/en/listings/{listing.id}").get_data(as_text=True)
    assert "<p>Первый абзац.</p>" in page
    assert '<a href="https://example.org/drip" rel="nofollow noopener ugc">' in page


def test_moderator_publishes_and_author_withdraws_and_renews(browser, client, db_session, make):
    institution, _ = _poster(make)
    listing = make.listing(institution=institution, status=ListingStatus.SUBMITTED, title="Sand fixation offer")
    make.user("admin@example.org", role=Role.ADMIN)
    assert client.get(f"/en/listings/{listing.id}").status_code == 404

    browser.sign_in("admin@example.org", PASSWORD)
    browser.submit(f"/en/moderation/listings/{listing.id}/decide", {"approve": "y"},
                   page=f"/en/moderation/listings/{listing.id}")
    browser.sign_out()
    db_session.refresh(listing)
    assert listing.status == ListingStatus.PUBLISHED and listing.published_at is not None
    assert "Sand fixation offer" in client.get(f"/en/listings/{listing.id}").get_data(as_text=True)

    browser.sign_in("poster@example.org", PASSWORD)
    listing.expires_at = utcnow() + timedelta(days=3)
    db_session.commit()
    browser.submit(f"/en/listings/{listing.id}/renew", {}, page=f"/en/listings/{listing.id}")
    db_session.refresh(listing)
    assert listing.expires_at > utcnow() + timedelta(days=300)
    browser.submit(f"/en/listings/{listing.id}/withdraw", {}, page=f"/en/listings/{listing.id}")
    db_session.refresh(listing)
    assert listing.status == ListingStatus.WITHDRAWN
    browser.sign_out()
    assert client.get(f"/en/listings/{listing.id}").status_code == 404


def test_members_of_other_institutions_cannot_manage(browser, db_session, make):
    listing = make.listing(title="Not yours")
    make.user("other@example.org", institution=make.institution())
    browser.sign_in("other@example.org", PASSWORD)
    assert browser.get(f"/en/listings/{listing.id}/edit").status_code == 403
    for action in ("withdraw", "renew"):
        response = browser.submit(f"/en/listings/{listing.id}/{action}", {}, page="/en/")
        assert response.status_code == 403
    db_session.refresh(listing)
    assert listing.status == ListingStatus.PUBLISHED


def test_only_members_with_confirmed_email_post(browser, db_session, make):
    make.user("loner@example.org")
    browser.sign_in("loner@example.org", PASSWORD)
    page = browser.get("/en/listings/new")
    assert page.status_code == 403 and "Join your institution" in page.get_data(as_text=True)
    browser.sign_out()
    make.user("unconfirmed@example.org", institution=make.institution(), confirmed=False)
    browser.sign_in("unconfirmed@example.org", PASSWORD)
    assert "confirm your email address first" in browser.get("/en/listings/new").get_data(as_text=True)


def test_translation_added_later_and_shown_with_the_original_note(browser, client, db_session, make):
    institution, _ = _poster(make)
    listing = make.listing(institution=institution, language="ru", title="Опреснение воды",
                           summary="Солнечное опреснение.")
    browser.sign_in("poster@example.org", PASSWORD)
    browser.submit(f"/en/listings/{listing.id}/translations/zh", {
        "title": "太阳能海水淡化", "summary": "太阳能淡化技术。", "description": ""})
    browser.sign_out()
    # A published listing's new translation waits for a moderator; the public sees no new words yet.
    db_session.refresh(listing)
    assert listing.translation("zh") is None and listing.status == ListingStatus.PUBLISHED
    assert "太阳能海水淡化" not in client.get(f"/zh/listings/{listing.id}").get_data(as_text=True)
    moderator = make.moderator(listing.center)
    browser.sign_in(moderator.email, PASSWORD)
    from portal.moderation.models import ListingRevision

    revision = db_session.scalar(select(ListingRevision))
    browser.submit(f"/en/moderation/listings/{listing.id}/decide", {"approve": "y", "revision_id": str(revision.id)},
                   page=f"/en/moderation/listings/{listing.id}")
    browser.sign_out()

    zh = client.get(f"/zh/listings/{listing.id}").get_data(as_text=True)
    assert "太阳能海水淡化" in zh
    en = client.get(f"/en/listings/{listing.id}").get_data(as_text=True)
    assert "Опреснение воды" in en and "Original in Russian." in en and "Chinese" in en
    version = client.get(f"/en/listings/{listing.id}?version=zh").get_data(as_text=True)
    assert "太阳能海水淡化" in version and "the original is in Russian" in version


def test_edit_changes_fields_and_clears_those_of_another_kind(browser, db_session, make):
    center = make.center()
    institution, _ = _poster(make)
    listing = make.listing(institution=institution, center=center, status=ListingStatus.DRAFT)
    listing.trl = 5
    db_session.commit()
    browser.sign_in("poster@example.org", PASSWORD)
    form = _form(center, kind="youth_exchange", starts_on="2027-07-01", ends_on="2027-07-14",
                 participants="40", age_min="18", age_max="30", language="en", title="Summer school on oases",
                 summary="Two weeks in Khiva.", submit="", save_draft="y")
    browser.submit(f"/en/listings/{listing.id}/edit", form)
    db_session.refresh(listing)
    assert listing.kind == ListingKind.YOUTH_EXCHANGE and listing.trl is None
    assert listing.participants == 40 and listing.status == ListingStatus.DRAFT
    assert listing.translation("en").title == "Summer school on oases"


def test_my_listings_lists_every_status(browser, db_session, make):
    institution, _ = _poster(make)
    make.listing(institution=institution, title="Draft one", status=ListingStatus.DRAFT)
    make.listing(institution=institution, title="Live one")
    browser.sign_in("poster@example.org", PASSWORD)
    page = browser.get("/en/listings/mine").get_data(as_text=True)
    assert "Draft one" in page and "Live one" in page and "Draft" in page and "Published" in page


def test_posted_listing_is_found_from_every_interface_once_published(browser, client, db_session, make):
    """The marketplace's promise: posted in one language, translated into another, findable from all
    eight interfaces by its own words, its translation's words and its topic."""
    from portal.i18n.languages import LANGUAGES

    center = make.center()
    topic = make.topic("sand-fixation", center, en="Sand fixation", zh="固沙", ru="Закрепление песков",
                       kk="Құмды бекіту", ky="Кумду бекитүү", tg="Мустаҳкамкунии рег", tk="Çägeleri berkitmek",
                       uz="Qumni mustahkamlash")
    institution, _ = _poster(make)
    make.user("admin@example.org", role=Role.ADMIN)
    browser.sign_in("poster@example.org", PASSWORD)
    browser.submit("/en/listings/new", _form(center, title="Соломенные клетки против барханов",
                                             summary="Полевые испытания в Каракалпакстане.",
                                             topics=[str(topic.id)], kind="joint_research"))
    listing = db_session.scalar(select(Listing))
    browser.submit(f"/en/listings/{listing.id}/translations/zh", {
        "title": "草方格治沙试验", "summary": "卡拉卡尔帕克斯坦的田间试验。", "description": ""})
    browser.sign_out()
    assert "Соломенные" not in client.get("/en/listings/?q=барханов").get_data(as_text=True)  # not yet

    browser.sign_in("admin@example.org", PASSWORD)
    browser.submit(f"/en/moderation/listings/{listing.id}/decide", {"approve": "y"},
                   page=f"/en/moderation/listings/{listing.id}")
    browser.sign_out()
    for language in LANGUAGES:
        for query in ("барханов", "治沙", "Закрепление песков", topic.names[language]):
            page = client.get(f"/{language}/listings/", query_string={"q": query}).get_data(as_text=True)
            assert f'/{language}/listings/{listing.id}"' in page, (language, query)
