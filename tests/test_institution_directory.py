"""Issue 14 (5): the institution directory finds a partner among thousands — by a fragment of
its name in another case or script, with filters (country, type, center, verified) that show
their counts, behind the same "Filters (n)" disclosure as the listings' search, page by page."""

from __future__ import annotations

import re

from portal.institutions.models import InstitutionType
from portal.listings.models import ListingStatus


def _names(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/\w+/institutions/\d+">([^<]+)</a></h3>', html)


def test_search_by_a_name_fragment_in_another_script_or_case(client, db_session, make):
    make.institution("Тошкент давлат аграр университети", country="UZ")
    make.institution("Oʻzbekiston Milliy Universiteti", country="UZ")
    make.institution("新疆农业大学", country="CN")
    make.institution("Almaty Wind Institute", country="KZ")
    db_session.commit()
    assert _names(client.get("/en/institutions/?q=TOSHKENT").get_data(as_text=True)) == [
        "Тошкент давлат аграр университети"]
    assert _names(client.get("/ru/institutions/?q=АГРАР").get_data(as_text=True)) == [
        "Тошкент давлат аграр университети"]
    assert _names(client.get("/uz/institutions/?q=o'zbekiston").get_data(as_text=True)) == [
        "Oʻzbekiston Milliy Universiteti"]
    assert _names(client.get("/uz/institutions/?q=ўзбекистон").get_data(as_text=True)) == [
        "Oʻzbekiston Milliy Universiteti"]
    assert _names(client.get("/zh/institutions/?q=农业").get_data(as_text=True)) == ["新疆农业大学"]
    page = client.get("/en/institutions/?q=wind+alma").get_data(as_text=True)
    assert _names(page) == ["Almaty Wind Institute"] and "1 institution found" in page
    assert _names(client.get("/en/institutions/?q=100%25_").get_data(as_text=True)) == []


def test_filters_combine_and_count(client, db_session, make):
    land, education = make.center("desertification-control"), make.center("education-exchange")
    station = make.institution("Gobi Desert Station", country="CN", type=InstitutionType.RESEARCH_INSTITUTE)
    college = make.institution("Samarkand Solar College", country="UZ")
    startup = make.institution("Bishkek Sand Startup", country="KG", verified=False, type=InstitutionType.COMPANY)
    make.listing(institution=station, center=land)
    make.listing(institution=college, center=education)
    make.listing(institution=startup, center=land, status=ListingStatus.DRAFT)  # not public: not active
    db_session.commit()
    assert _names(client.get("/en/institutions/?center=desertification-control").get_data(as_text=True)) == [
        "Gobi Desert Station"]
    assert _names(client.get("/en/institutions/?type=company").get_data(as_text=True)) == ["Bishkek Sand Startup"]
    assert _names(client.get("/en/institutions/?verified=no").get_data(as_text=True)) == ["Bishkek Sand Startup"]
    page = client.get("/en/institutions/?verified=yes&country=CN&country=UZ").get_data(as_text=True)
    assert _names(page) == ["Gobi Desert Station", "Samarkand Solar College"]
    assert "Filters (3)" in page
    assert re.search(r'value="KG"> Kyrgyzstan <span class="count">0</span>', page)  # verified ones only
    assert re.search(r'value="UZ" checked> Uzbekistan <span class="count">1</span>', page)
    assert '<details class="filters-disclosure" data-filters>' in page
    # Bad values are dropped, never an error.
    assert client.get("/en/institutions/?country=%ff&type=<script>&center=x&verified=maybe&page=-5"
                      ).status_code == 200


def test_pages_keep_the_search(client, db_session, make):
    for number in range(30):
        make.institution(f"Steppe Institute {number:02d}", country="KZ")
    make.institution("Other Academy", country="KZ")
    db_session.commit()
    first = client.get("/en/institutions/?q=steppe").get_data(as_text=True)
    assert "30 institutions found" in first and len(_names(first)) == 24 and "Page 1 of 2" in first
    assert 'href="/en/institutions/?q=steppe&amp;page=2"' in first
    second = client.get("/en/institutions/?q=steppe&page=2").get_data(as_text=True)
    assert _names(second) == [f"Steppe Institute {number}" for number in range(24, 30)]
