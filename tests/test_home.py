"""Issue 11, part 4: a home page that shows the cooperation — the newest public listings of each
center in the reader's language, the platform's figures formatted for that language, sections
other features add, and a real favicon."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from babel.dates import format_date
from jinja2 import ChoiceLoader, DictLoader

from portal.database import utcnow
from portal.listings.models import ListingStatus
from portal.web.assets import LONG_CACHE
from portal.web import sections as page_sections

CENTERS = ("poverty-reduction", "education-exchange", "desertification-control")


def _center_card(html: str, slug: str) -> str:
    found = re.search(rf'<article class="card center-card center-{slug}">(.*?)</article>', html, re.S)
    assert found, f"no card for {slug}"
    return found.group(1)


@pytest.fixture()
def centers_with_listings(db_session, make):
    """Four public listings in each center, published a day apart, and one of every kind the
    public must never see."""
    centers = [make.center(slug) for slug in CENTERS]
    for center in centers:
        for age in range(4):
            listing = make.listing(center=center, title=f"{center.slug} listing {age} days old")
            listing.published_at = utcnow() - timedelta(days=age, hours=1)
    for status in (ListingStatus.DRAFT, ListingStatus.SUBMITTED, ListingStatus.CHANGES_REQUESTED,
                   ListingStatus.REJECTED, ListingStatus.SUSPENDED, ListingStatus.WITHDRAWN, ListingStatus.EXPIRED):
        listing = make.listing(center=centers[0], title=f"Hidden {status.value} listing", status=status)
        listing.published_at = utcnow()  # newer than every public one
    past = make.listing(center=centers[0], title="Hidden past listing", expires_in_days=-1)
    past.published_at = utcnow()
    db_session.commit()
    return centers


def test_each_center_shows_its_three_newest_public_listings(client, centers_with_listings):
    html = client.get("/en/").get_data(as_text=True)
    for slug in CENTERS:
        card = _center_card(html, slug)
        shown = re.findall(rf"{slug} listing (\d) days old", card)
        assert shown == ["0", "1", "2"], (slug, shown)  # newest first, the fourth left out
        for other in CENTERS:
            if other != slug:
                assert f"{other} listing" not in card
        assert "4 open listings" in card
    assert "Hidden" not in html  # drafts, pending, rejected, suspended, withdrawn, expired


def test_a_center_without_listings_says_so(client, db_session, make):
    for slug in CENTERS:
        make.center(slug)
    make.listing(center=make.center("education-exchange"), title="Summer school in Xi'an")
    db_session.commit()
    html = client.get("/en/").get_data(as_text=True)
    assert "Summer school in Xi&#39;an" in _center_card(html, "education-exchange")
    assert "Nothing has been published yet." in _center_card(html, "poverty-reduction")


def test_cards_speak_the_readers_language_and_say_when_they_cannot(client, db_session, make):
    center = make.center("desertification-control")
    kazakh = make.institution("Kazakh Research Institute of Water Management", country="KZ")
    translated = make.listing(center=center, institution=kazakh, title="Drip irrigation for cotton fields",
                              translations={"zh": ("棉田滴灌", "经过验证的系统。", "")})
    english_only = make.listing(center=center, institution=kazakh, title="Sand fixation with saxaul")
    db_session.commit()
    html = client.get("/zh/").get_data(as_text=True)
    card = _center_card(html, "desertification-control")
    assert '<a href="/zh/listings/%d" lang="zh">棉田滴灌</a>' % translated.id in card
    assert '<a href="/zh/listings/%d" lang="en">Sand fixation with saxaul</a>' % english_only.id in card
    assert card.count("英语") == 1  # "in English", under the untranslated one only
    assert "哈萨克斯坦" in card  # the country from CLDR
    assert format_date(english_only.published_at, "long", locale="zh") in card
    assert card.count('<span class="tag">技术转移</span>') == 2  # the kind


def test_figures_count_listings_institutions_countries_and_accepted_interests(client, db_session, make):
    from portal.interests.models import Interest, InterestStatus

    center = make.center("desertification-control")
    china, kazakhstan = make.institution(country="CN"), make.institution(country="KZ")
    listing = make.listing(center=center, institution=china)
    make.listing(center=center, institution=china, status=ListingStatus.DRAFT)
    sender = make.user(institution=kazakhstan)
    for status in (InterestStatus.ACCEPTED, InterestStatus.PENDING, InterestStatus.DECLINED):
        db_session.add(Interest(listing_id=listing.id, institution_id=kazakhstan.id, sender_id=sender.id,
                                message="Let us work together.", status=status))
    db_session.commit()
    html = client.get("/en/").get_data(as_text=True)
    figures = re.search(r'<ul class="figure-list">(.*?)</ul>', html, re.S).group(1)
    numbers = dict((label, number) for number, label in
                   re.findall(r"<strong>([^<]+)</strong> <span>([^<]+)</span>", figures))
    assert numbers == {"open listing": "1", "institutions": "2", "countries taking part": "2",
                       "accepted interest": "1"}


@pytest.mark.parametrize(("lang", "listings", "interests"), [
    ("en", "12,345 open listings", "1,203 accepted interests"),
    ("zh", "12,345 条有效供需信息", "1,203 项已接受的合作意向"),
    ("ru", "12\u00a0345 актуальных объявлений", "1\u00a0203 принятых отклика"),
    ("kk", "12\u00a0345 ашық хабарландыру", "1\u00a0203 қабылданған қызығушылық білдіру"),
    ("uz", "12\u00a0345 ochiq eʼlon", "1\u00a0203 qabul qilingan qiziqish bildirish"),
])
def test_figures_are_formatted_for_the_readers_language(client, db_session, make, lang, listings, interests):
    """Big numbers, as the shared cache holds them between counts, grouped the language's way."""
    from portal.cache import _database_put

    for slug in CENTERS:
        make.center(slug)
    _database_put(db_session, "home:figures", {
        "per_center": [], "figures": {"listings": 12345, "institutions": 1001, "countries": 6,
                                      "accepted_interests": 1203}}, 60)
    db_session.commit()
    html = client.get(f"/{lang}/").get_data(as_text=True)
    text = re.sub(r"\s*</strong>\s*<span>\s*", " ", re.search(r'<ul class="figure-list">(.*?)</ul>', html, re.S).group(1))
    assert listings in text
    assert interests in text


def test_a_feature_adds_a_section_to_the_home_page_without_home_importing_it(app, client, db_session, make,
                                                                            monkeypatch):
    make.center("desertification-control")
    db_session.commit()
    monkeypatch.setattr(app.jinja_env, "loader", ChoiceLoader([
        DictLoader({"test/_newest.html": '<section class="newest">{{ section.context.heading }}</section>'}),
        app.jinja_env.loader]))
    monkeypatch.setattr(page_sections, "_providers", {})

    @page_sections.section("home", "test/_newest.html")
    def newest_partnerships(language: str, **_facts: object) -> dict | None:
        return {"heading": f"Newest partnerships ({language})"} if language != "tk" else None

    assert '<section class="newest">Newest partnerships (ru)</section>' in client.get("/ru/").get_data(as_text=True)
    assert 'class="newest"' not in client.get("/tk/").get_data(as_text=True)


def test_the_favicon_is_linked_fingerprinted_and_served(client, db_session):
    html = client.get("/en/").get_data(as_text=True)
    links = {
        "svg": re.search(r'<link rel="icon" href="(/static/img/favicon\.svg\?v=[0-9a-f]{12})" type="image/svg\+xml">', html),
        "png": re.search(r'<link rel="icon" href="(/static/img/favicon-32\.png\?v=[0-9a-f]{12})" type="image/png"', html),
        "apple": re.search(r'<link rel="apple-touch-icon" href="(/static/img/apple-touch-icon\.png\?v=[0-9a-f]{12})"', html),
    }
    assert all(links.values()), links
    types = {"svg": "image/svg+xml", "png": "image/png", "apple": "image/png"}
    for name, found in links.items():
        response = client.get(found.group(1))
        assert response.status_code == 200
        assert response.mimetype == types[name]
        assert response.headers["Cache-Control"] == LONG_CACHE
    assert b"<svg" in client.get(links["svg"].group(1)).data
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_the_home_page_fetches_nothing_from_another_site(client, db_session, make):
    make.center("desertification-control")
    db_session.commit()
    html = client.get("/zh/").get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    loaded = [url for url in sources if re.search(r"\.(css|js|woff2?|ttf|svg|png|ico)(\?|$)", url)]
    assert loaded and all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded
