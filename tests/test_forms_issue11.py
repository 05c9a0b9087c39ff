"""Issue 11, forms, as the pages show them: topics and countries in each language's collation,
partner countries as checkboxes (China and Central Asia first) that keep their ticks after a
validation error, the kind sections marked for portal.js, and the note on translations."""

from __future__ import annotations

import re
from datetime import timedelta

from portal.database import utcnow
from portal.i18n.collation import collated
from portal.i18n.languages import FOCUS_COUNTRIES, country_choices
from portal.listings.models import ListingStatus
from tests.support.factories import PASSWORD

CHECKBOX = re.compile(r'<input([^>]*)type="checkbox"([^>]*)>')


def _boxes(page: str, name: str) -> list[tuple[str, bool]]:
    """(value, checked) of each checkbox called ``name``, in page order."""
    found = []
    for match in CHECKBOX.finditer(page):
        attrs = match.group(1) + match.group(2)
        if f'name="{name}"' in attrs:
            found.append((re.search(r'value="([^"]*)"', attrs).group(1), " checked" in f" {attrs}"))
    return found


def _labels(page: str, name: str) -> list[str]:
    return [label for _, label in re.findall(
        rf'<input[^>]*name="{name}"[^>]*>\s*<label for="([^"]+)">([^<]+)</label>', page)]


def _poster(make, browser, language="en"):
    institution = make.institution("Aral Sea Institute", country="UZ")
    make.user("poster@example.org", institution=institution, language=language)
    browser.sign_in("poster@example.org", PASSWORD)
    return institution


def _topics(make):
    center = make.center()
    # Slug order, code point order and the languages' own orders all differ.
    make.topic("a-erosion", center, en="Soil erosion", ru="Эрозия почв", zh="水土流失")
    make.topic("b-shelterbelts", center, en="Shelterbelts", ru="Ёлочные лесополосы", zh="防护林")
    make.topic("c-water", center, en="Water saving", ru="Водосбережение", zh="草原节水")
    return center


def test_new_listing_form_lists_topics_and_countries_in_the_readers_order(browser, db_session, make):
    _topics(make)
    _poster(make, browser)
    ru = browser.get("/ru/listings/new").get_data(as_text=True)
    assert _labels(ru, "topics") == ["Водосбережение", "Ёлочные лесополосы", "Эрозия почв"]
    zh = browser.get("/zh/listings/new").get_data(as_text=True)
    assert _labels(zh, "topics") == ["草原节水", "防护林", "水土流失"]  # cǎo, fáng, shuǐ

    # Countries: checkboxes, no multi-select that needs Ctrl; China and Central Asia first.
    assert not re.search(r'<select[^>]*name="target_countries"', ru)
    boxes = _boxes(ru, "target_countries")
    codes = [code for code, _ in boxes]
    assert len(codes) > 240 and not any(checked for _, checked in boxes)
    assert codes[:6] == ["KZ", "KG", "CN", "TJ", "TM", "UZ"]  # Казахстан, Киргизия, Китай, …
    assert codes == [code for code, _ in country_choices("ru")]
    names = _labels(ru, "target_countries")
    assert names[6:9] == ["Австралия", "Австрия", "Азербайджан"]
    assert names[6:] == collated(names[6:], "ru")
    assert ru.index("Китай и Центральная Азия") < ru.index('value="KZ"') < ru.index("Все остальные страны")
    assert ru.index("Все остальные страны") < ru.index('value="AU"')
    assert 'data-checklist-filter hidden' in ru  # the filter box is portal.js's: no use without it
    assert "Найти страну" in ru

    kk = browser.get("/kk/listings/new").get_data(as_text=True)
    kk_names = _labels(kk, "target_countries")
    assert kk_names[:6] == ["Қазақстан", "Қырғызстан", "Қытай", "Өзбекстан", "Тәжікстан", "Түрікменстан"]
    assert kk_names.index("Аустрия") < kk_names.index("Әзірбайжан") < kk_names.index("Багам аралдары")


def test_checked_countries_and_topics_survive_a_validation_error(browser, db_session, make):
    center = _topics(make)
    _poster(make, browser)
    topic_ids = [value for value, _ in _boxes(browser.get("/en/listings/new").get_data(as_text=True), "topics")]
    page = browser.submit("/en/listings/new", {
        "center": str(center.id), "kind": "youth_exchange", "direction": "offer", "language": "en",
        "title": "", "summary": "A summer school on the Aral Sea.",
        "target_countries": ["KZ", "AF", "ZW"], "topics": [topic_ids[1]],
        "expires_on": (utcnow().date() + timedelta(days=100)).isoformat(), "submit": "y",
    }).get_data(as_text=True)
    assert "Enter a title." in page
    checked = {code for code, ticked in _boxes(page, "target_countries") if ticked}
    assert checked == {"KZ", "AF", "ZW"}
    assert [ticked for _, ticked in _boxes(page, "topics")] == [False, True, False]

    unknown = browser.submit("/en/listings/new", {"center": str(center.id), "target_countries": ["ZZ"]})
    assert "&#39;ZZ&#39; is not a valid choice for this field." in unknown.get_data(as_text=True)


def test_kind_sections_and_translation_note(browser, db_session, make):
    make.center()
    institution = _poster(make, browser)
    page = browser.get("/en/listings/new").get_data(as_text=True)
    # Every section is in the page (without JavaScript all are shown); portal.js hides the others.
    for kind in ("technology_transfer", "youth_exchange", "joint_research"):
        assert f'data-kind="{kind}"' in page
    assert "As soon as it is saved as a draft, its page lets you add the text in the other languages." in page
    ru = browser.get("/ru/listings/new").get_data(as_text=True)
    assert "Как только оно сохранено как черновик" in ru
    assert 'src="/static/js/portal.js?v=' in page  # fingerprinted, self-hosted
    listing = make.listing(institution=institution, title="Existing draft", status=ListingStatus.DRAFT)
    db_session.commit()
    edit = browser.get(f"/en/listings/{listing.id}/edit").get_data(as_text=True)
    assert "Existing draft" in edit and "saved as a draft, its page" not in edit


def test_institution_and_filter_country_lists_are_collated(client, db_session):
    directory = client.get("/ru/institutions/").get_data(as_text=True)
    boxes = re.findall(r'name="country" value="([A-Z]{2})"', directory)
    assert boxes == ["KZ", "KG", "CN", "TJ", "TM", "UZ"]
    zh = client.get("/zh/institutions/").get_data(as_text=True)
    assert re.findall(r'name="country" value="([A-Z]{2})"', zh) == ["KZ", "KG", "TJ", "TM", "UZ", "CN"]

    register = client.get("/kk/account/register").get_data(as_text=True)
    codes = re.findall(r'<option value="([A-Z]{2})"', register)
    assert codes[:6] == ["KZ", "KG", "CN", "UZ", "TJ", "TM"] and len(codes) > 240
    assert set(codes[:6]) == set(FOCUS_COUNTRIES)


def test_search_filters_list_countries_and_topics_by_name(client, db_session, make):
    from portal.search.index import rebuild_index

    center = _topics(make)
    topics = {topic.slug: topic for topic in center.topics}
    uz, cn, kz = (make.institution(country=code) for code in ("UZ", "CN", "KZ"))
    for institution, topic in ((uz, "a-erosion"), (uz, "a-erosion"), (cn, "b-shelterbelts"), (kz, "c-water")):
        make.listing(institution=institution, center=center, topics=[topics[topic]])
    rebuild_index(db_session)
    db_session.commit()
    page = client.get("/ru/listings/").get_data(as_text=True)
    # By count these would be Узбекистан (2) first, and Эрозия почв (2) first.
    assert [code for code, _ in _boxes(page, "country")] == ["KZ", "CN", "UZ"]
    assert [slug for slug, _ in _boxes(page, "topic")] == ["c-water", "b-shelterbelts", "a-erosion"]
    zh = client.get("/zh/listings/").get_data(as_text=True)
    assert [code for code, _ in _boxes(zh, "country")] == ["KZ", "UZ", "CN"]  # hā, wū, zhōng
