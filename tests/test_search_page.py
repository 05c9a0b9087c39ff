"""What people find on the search page and the center pages, across languages and scripts."""

from __future__ import annotations

import re

import pytest

from portal.listings.models import Direction, ListingKind, ListingStatus


def _titles(response) -> list[str]:
    return re.findall(r'<h3><a href="/\w\w/listings/\d+" lang="\w+">([^<]+)</a>', response.get_data(as_text=True))


@pytest.fixture()
def catalogue(db_session, make):
    """A small multilingual marketplace."""
    from portal.search.index import rebuild_index

    desert = make.center("desertification-control")
    education = make.center("education-exchange")
    drip = make.topic("water-saving-irrigation", desert, en="Water-saving irrigation", zh="节水灌溉",
                      ru="Водосберегающее орошение", kk="Су үнемдейтін суару", ky="Суу үнөмдөөчү сугаруу",
                      tg="Обёрии каммасраф", tk="Suw tygşytlaýjy suwaryş", uz="Suvni tejaydigan sugʻorish")
    cn = make.institution("Xinjiang Drip Technology Co.", country="CN")
    kz = make.institution("Kazakh Water Institute", country="KZ")
    uz = make.institution("Tashkent Agrarian University", country="UZ")
    listings = {
        "zh_offer": make.listing(institution=cn, center=desert, language="zh", title="光伏提水与滴灌一体化系统",
                                 summary="沙漠地区的光伏滴灌技术，已在新疆推广。", topics=[drip], expires_in_days=300),
        "kk_request": make.listing(institution=kz, center=desert, language="kk", direction=Direction.REQUEST,
                                   title="Тамшылатып суару технологиясы қажет",
                                   summary="Мақта алқаптарына арналған суармалы жүйелер іздейміз.", topics=[drip],
                                   expires_in_days=20),
        "ru_research": make.listing(institution=uz, center=desert, language="ru", kind=ListingKind.JOINT_RESEARCH,
                                    title="Борьба с опустыниванием в Приаралье",
                                    summary="Совместные исследования по закреплению песков.",
                                    translations={"en": ("Fighting desertification near the Aral Sea",
                                                         "Joint research on sand fixation.", "")}),
        "uz_school": make.listing(institution=uz, center=education, language="uz", kind=ListingKind.YOUTH_EXCHANGE,
                                  title="Oʻzbekistonda yozgi maktab", summary="Talabalar uchun yozgi taʼlim dasturi."),
        "draft": make.listing(institution=cn, center=desert, title="Secret solar drip draft",
                              status=ListingStatus.DRAFT),
    }
    rebuild_index(db_session)
    db_session.commit()
    return listings


def test_chinese_two_character_query_finds_text_without_spaces(client, catalogue):
    assert _titles(client.get("/zh/listings/?q=光伏")) == ["光伏提水与滴灌一体化系统"]
    assert _titles(client.get("/zh/listings/?q=滴灌")) == ["光伏提水与滴灌一体化系统"]


def test_russian_inflection_matches(client, catalogue):
    assert _titles(client.get("/ru/listings/?q=опустынивания")) == ["Борьба с опустыниванием в Приаралье"]


def test_translation_words_find_the_listing(client, catalogue):
    page = client.get("/en/listings/?q=Aral")
    assert _titles(page) == ["Fighting desertification near the Aral Sea"]  # shown in the viewer's language


def test_kazakh_prefix_and_uzbek_apostrophes(client, catalogue):
    assert _titles(client.get("/kk/listings/?q=суармал")) == ["Тамшылатып суару технологиясы қажет"]
    for spelling in ("O'zbekistonda", "Oʻzbekistonda", "O‘zbekistonda", "O’zbekistonda"):
        assert _titles(client.get(f"/uz/listings/?q={spelling}")) == ["Oʻzbekistonda yozgi maktab"], spelling


def test_topic_label_in_any_language_finds_listings_in_others(client, catalogue):
    for query in ("water-saving irrigation", "节水灌溉", "Водосберегающее"):
        titles = _titles(client.get(f"/en/listings/?q={query}"))
        assert sorted(titles) == sorted(["光伏提水与滴灌一体化系统", "Тамшылатып суару технологиясы қажет"]), query


def test_facets_count_and_filter(client, catalogue):
    page = client.get("/en/listings/?center=desertification-control").get_data(as_text=True)
    assert "3 listings found" in page
    # Country facet counts, with the institution's country names from CLDR.
    assert re.search(r"China <span class=\"count\">1</span>", page)
    filtered = client.get("/en/listings/?country=KZ&direction=request")
    assert _titles(filtered) == ["Тамшылатып суару технологиясы қажет"]
    both = client.get("/en/listings/?country=KZ&country=CN")
    assert len(_titles(both)) == 2  # values of one facet are OR-ed


def test_sort_closing_soon_and_newest(client, catalogue):
    closing = _titles(client.get("/en/listings/?center=desertification-control&sort=closing"))
    assert closing[0] == "Тамшылатып суару технологиясы қажет"


def test_drafts_never_appear(client, catalogue):
    assert "Secret solar drip draft" not in client.get("/en/listings/?q=solar").get_data(as_text=True)
    assert "Secret solar drip draft" not in client.get("/en/listings/").get_data(as_text=True)


@pytest.mark.parametrize("query", ['"unbalanced', "a AND OR NOT", "(((", "*", "\x07\x1b", "x" * 10_000,
                                   "' OR 1=1 --", "光伏 NEAR(滴灌)", "%_%"])
def test_malformed_queries_never_fail(client, catalogue, query):
    response = client.get("/en/listings/", query_string={"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize("args", ["page=99999999", "page=-1", "page=abc", "trl_min=12", "sort=random",
                                  "center=<script>", "country=ZZZ", "topic=%27"])
def test_bad_parameters_are_ignored_not_errors(client, catalogue, args):
    response = client.get(f"/en/listings/?{args}")
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True).split("<main")[1]


def test_search_state_lives_in_the_url(client, catalogue):
    page = client.get("/en/listings/?q=drip&kind=technology_transfer&sort=newest").get_data(as_text=True)
    assert 'value="drip"' in page
    assert re.search(r'name="kind" value="technology_transfer" checked', page)
    assert re.search(r'<option value="newest" selected>', page)


def test_center_page_is_the_search_limited_to_the_center(client, catalogue):
    page = client.get("/en/centers/education-exchange").get_data(as_text=True)
    assert "Oʻzbekistonda yozgi maktab" in page and "光伏提水" not in page
    assert client.get("/en/centers/no-such-center").status_code == 404


def test_center_page_lists_its_own_topics_in_the_reader_language(client, catalogue):
    page = client.get("/ru/centers/desertification-control").get_data(as_text=True)
    assert "Водосберегающее орошение" in page
    assert "centers/desertification-control?topic=water-saving-irrigation" in page
    assert "Водосберегающее орошение" not in client.get("/ru/centers/education-exchange").get_data(as_text=True)


def test_pagination_keeps_the_filters(client, db_session, make):
    from portal.search.index import rebuild_index

    center = make.center()
    institution = make.institution()
    for number in range(25):
        make.listing(institution=institution, center=center, title=f"Solar pump model {number}")
    rebuild_index(db_session)
    page = client.get("/en/listings/?q=solar&country=KZ").get_data(as_text=True)
    assert "25 listings found" in page
    assert re.search(r'href="/en/listings/\?q=solar&amp;country=KZ&amp;page=2"', page)
    assert len(_titles(client.get("/en/listings/?q=solar&country=KZ&page=2"))) == 5


def test_uzbek_and_kazakh_match_across_cyrillic_and_latin(client, db_session, make):
    from portal.search.index import rebuild_index

    center = make.center()
    make.listing(center=center, language="uz", title="Oʻzbekistonda tomchilatib sugʻorish",
                 summary="Paxta dalalari uchun.")
    make.listing(center=center, language="kk", title="Тамшылатып суару жүйесі", summary="Мақта алқаптары үшін.")
    rebuild_index(db_session)
    assert _titles(client.get("/uz/listings/?q=Ўзбекистонда")) == ["Oʻzbekistonda tomchilatib sugʻorish"]
    assert _titles(client.get("/uz/listings/?q=суғориш")) == ["Oʻzbekistonda tomchilatib sugʻorish"]
    assert _titles(client.get("/kk/listings/?q=tamşylatyp")) == ["Тамшылатып суару жүйесі"]
    assert _titles(client.get("/kk/listings/?q=suaru")) == ["Тамшылатып суару жүйесі"]
