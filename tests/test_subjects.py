"""What a listing is about, in every language: annotation on posting, the author's chips,
subjects on pages and cards, search through concepts, and matching reasons."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.search.index import reindex_listing
from portal.listings.models import Direction
from portal.subjects.models import AnnotationSource, ConceptRow, ListingConcept
from portal.subjects.services import current_thesaurus, subjects_of
from tests.support.factories import PASSWORD


def label(db_session, key: str, language: str) -> str:
    concept = current_thesaurus(db_session).get(key)
    assert concept is not None, key
    return concept.pref[language]


def listing_changed(db_session, listing) -> None:
    """What a change does for search (the matching half is asked for where a test needs it)."""
    from portal.subjects.services import annotate_listing

    annotate_listing(db_session, listing)
    reindex_listing(db_session, listing.id)


def subject_keys(db_session, listing) -> set[str]:
    return {subject.key for subject in subjects_of(db_session, listing.id, "en")}


def prominent_keys(db_session, ids) -> dict[int, set[str]]:
    rows = db_session.execute(select(ListingConcept.listing_id, ConceptRow.key).join(ConceptRow)
                              .where(ListingConcept.listing_id.in_(ids), ListingConcept.prominent)).all()
    found: dict[int, set[str]] = {}
    for listing_id, key in rows:
        found.setdefault(listing_id, set()).add(key)
    return found


def found_ids(client, query: str, language: str) -> list[int]:
    """The ids an API search finds, best first."""
    data = client.get("/api/v1/listings", query_string={"q": query, "lang": language}).get_json()
    return [item["id"] for item in data["items"]]


@pytest.fixture()
def drip_listings(db_session, make):
    """A Kazakh-only request and a Chinese-only offer about drip irrigation, in their own words."""
    desert = make.center("desertification-control")
    kz = make.institution("Kazakh Water Institute", country="KZ")
    cn = make.institution("Xinjiang Drip Co.", country="CN")
    kk_request = make.listing(institution=kz, center=desert, language="kk", direction=Direction.REQUEST,
                              title=f"Мақта алқаптарына {label(db_session, 'drip-irrigation', 'kk')} қажет",
                              summary="Түркістан облысындағы фермерлерге серіктес іздейміз.", description="")
    zh_offer = make.listing(institution=cn, center=desert, language="zh",
                            title=f"{label(db_session, 'drip-irrigation', 'zh')}成套技术转让",
                            summary="新疆推广二十万公顷。", description="")
    for listing in (kk_request, zh_offer):
        listing_changed(db_session, listing)
    return kk_request, zh_offer


def test_posting_annotates_a_listing_in_its_own_language(db_session, drip_listings):
    kk_request, zh_offer = drip_listings
    assert "drip-irrigation" in subject_keys(db_session, kk_request)
    assert "drip-irrigation" in subject_keys(db_session, zh_offer)
    row = db_session.scalar(select(ListingConcept).join(ConceptRow).where(
        ListingConcept.listing_id == zh_offer.id, ConceptRow.key == "drip-irrigation"))
    assert row.source == AnnotationSource.AUTOMATIC and row.forms


def test_bulk_annotation_and_indexing_write_what_publishing_writes(db_session, make, drip_listings):
    """annotate_listings and index_new_listings (many listings written at once, as the
    benchmarks' data) leave each listing as annotate_listing and reindex_listing do."""
    from portal.search.index import index_new_listings
    from portal.search.models import SearchDocument
    from portal.subjects.services import annotate_listings

    kk_request, zh_offer = drip_listings
    ids = [kk_request.id, zh_offer.id]
    one_by_one = {listing.id: subject_keys(db_session, listing) for listing in drip_listings}
    prominence = prominent_keys(db_session, ids)
    documents = {row.listing_id: row.title_tokens for row in db_session.scalars(
        select(SearchDocument).where(SearchDocument.listing_id.in_(ids)))}
    db_session.query(ListingConcept).filter(ListingConcept.listing_id.in_(ids)).delete()
    db_session.query(SearchDocument).filter(SearchDocument.listing_id.in_(ids)).delete()
    db_session.expire_all()

    assert annotate_listings(db_session, ids) == 2
    assert index_new_listings(db_session, ids) == 2
    assert {listing.id: subject_keys(db_session, listing) for listing in drip_listings} == one_by_one
    assert prominent_keys(db_session, ids) == prominence
    assert {row.listing_id: row.title_tokens for row in db_session.scalars(
        select(SearchDocument).where(SearchDocument.listing_id.in_(ids)))} == documents


def test_a_reader_sees_the_subjects_in_their_language_when_the_text_is_not(client, db_session, drip_listings):
    kk_request, _ = drip_listings
    page = client.get(f"/zh/listings/{kk_request.id}").get_data(as_text=True)
    assert label(db_session, "drip-irrigation", "zh") in page
    assert 'href="/zh/listings/?subject=drip-irrigation"' in page


def test_a_kazakh_query_finds_the_chinese_only_offer_and_says_why(client, db_session, drip_listings):
    _, zh_offer = drip_listings
    query = label(db_session, "drip-irrigation", "kk")
    page = client.get("/kk/listings/", query_string={"q": query}).get_data(as_text=True)
    assert f'/kk/listings/{zh_offer.id}"' in page
    assert "found-by" in page and "滴灌" in page  # "about 滴灌 · <Kazakh label>"


def test_the_api_finds_across_languages_and_names_the_subjects(client, db_session, drip_listings):
    kk_request, zh_offer = drip_listings
    data = client.get("/api/v1/listings", query_string={"q": label(db_session, "drip-irrigation", "ru"),
                                                        "lang": "ru"}).get_json()
    ids = [item["id"] for item in data["items"]]
    assert {kk_request.id, zh_offer.id} <= set(ids)
    assert "drip-irrigation" in data["query"]["subjects"]
    item = next(item for item in data["items"] if item["id"] == zh_offer.id)
    assert "drip-irrigation" in item["found_through_subjects"]
    assert {"key": "drip-irrigation", "label": label(db_session, "drip-irrigation", "ru")} in item["subjects"]
    facet = {entry["value"]: entry["count"] for entry in data["facets"]["subjects"]}
    assert facet["drip-irrigation"] >= 2


def test_a_subject_filter_finds_listings_about_narrower_concepts_too(client, db_session, make, drip_listings):
    listing = make.listing(title="Subsurface drip irrigation for orchards", summary="Buried laterals.")
    listing_changed(db_session, listing)
    assert "subsurface-drip-irrigation" in subject_keys(db_session, listing)
    data = client.get("/api/v1/listings", query_string=[("subject", "drip-irrigation")]).get_json()
    assert listing.id in [item["id"] for item in data["items"]]


def test_same_language_text_keeps_its_place_before_concept_only_hits(client, db_session, make, drip_listings):
    english = make.listing(title="Drip irrigation kits for smallholders", summary="Affordable.")
    listing_changed(db_session, english)
    data = client.get("/api/v1/listings", query_string={"q": "drip irrigation", "lang": "en"}).get_json()
    assert data["items"][0]["id"] == english.id
    assert len(data["items"]) >= 3


def test_a_query_reaches_the_concept_above_its_own_only_in_listings_about_it(client, db_session, make):
    # Seed potato is under seeds: a seed supplier's offer answers a search for seed potato, less
    # well; a rangeland listing whose description mentions sowing shrub seeds does not.
    potato = make.listing(language="zh", title=label(db_session, "seed-potato", "zh") + "脱毒技术转让",
                          summary="甘肃定西。", description="")
    seeds = make.listing(language="ru", title="Семена засухоустойчивых культур для фермеров",
                         summary="Поставки семян в Центральную Азию.", description="")
    rangeland = make.listing(language="ru", title="Восстановление деградированных пастбищ",
                             summary="Сохраним пастбища Бетпакдалы.",
                             description="Весной мы подсеваем семена изеня и кейреука на сбитых пастбищах.")
    for listing in (potato, seeds, rangeland):
        listing_changed(db_session, listing)
    assert prominent_keys(db_session, [seeds.id, rangeland.id]).get(rangeland.id, set()).isdisjoint({"seeds"})
    assert "seeds" in subject_keys(db_session, rangeland)  # it is about seeds, in passing
    assert found_ids(client, label(db_session, "seed-potato", "en"), "en") == [potato.id, seeds.id]


def test_a_word_of_a_named_concept_does_not_match_the_start_of_other_words(client, db_session, make):
    # Turkmen geçi (goat) begins geçirilýär (is held); a word no concept names still matches
    # the start of longer words.
    goats = make.listing(language="tk", title="Geçileri ösdürip ýetişdirmek", summary="Daýhanlar üçin.", description="")
    forum = make.listing(language="tk", title="Ýaşlar forumy Aşgabatda geçirilýär", summary="Maslahat.", description="")
    for listing in (goats, forum):
        listing_changed(db_session, listing)
    ids = found_ids(client, "geçi", "tk")
    assert goats.id in ids and forum.id not in ids
    assert forum.id in found_ids(client, "foru", "tk")


def test_a_word_naming_a_concept_does_not_match_other_words_of_its_short_stem(client, db_session, make):
    # Russian сели (mudflows) and сёла (villages) share the stem сел.
    mudflows = make.listing(language="ru", title="Раннее оповещение о селевых потоках", summary="Датчики в предгорьях.", description="")
    villages = make.listing(language="ru", title="Гостевые дома в сёлах Кызылкума", summary="Туризм.", description="")
    for listing in (mudflows, villages):
        listing_changed(db_session, listing)
    ids = found_ids(client, "сели", "ru")
    assert mudflows.id in ids and villages.id not in ids


def test_a_word_found_nowhere_no_longer_empties_the_results(client, db_session, drip_listings):
    data = client.get("/api/v1/listings", query_string={"q": "drip irrigation qwertyuiop", "lang": "en"}).get_json()
    assert data["total"] >= 2


def test_the_author_corrects_the_subjects_with_chips(browser, db_session, make, drip_listings):
    kk_request, _ = drip_listings
    author = make.user("aigerim@kwi.kz", institution=kk_request.institution)
    browser.sign_in(author.email, PASSWORD, lang="kk")
    page = browser.get(f"/kk/listings/{kk_request.id}").get_data(as_text=True)
    assert "data-subjects-form" in page and label(db_session, "drip-irrigation", "kk") in page
    kept = subject_keys(db_session, kk_request) - {"drip-irrigation"}
    response = browser.submit(f"/kk/subjects/listing/{kk_request.id}",
                              {"keep": sorted(kept), "add": label(db_session, "saxaul", "kk")},
                              page=f"/kk/listings/{kk_request.id}")
    assert response.status_code == 302
    assert subject_keys(db_session, kk_request) == kept | {"saxaul"}
    # The removed subject stays removed when the text changes again; the added one stays.
    kk_request.original.summary += " Тағы бір сөйлем."
    listing_changed(db_session, kk_request)
    assert "drip-irrigation" not in subject_keys(db_session, kk_request)
    assert "saxaul" in subject_keys(db_session, kk_request)


def test_an_unknown_subject_is_refused_with_a_message_and_the_typed_text_kept(browser, make, drip_listings):
    kk_request, _ = drip_listings
    author = make.user("aigerim@kwi.kz", institution=kk_request.institution)
    browser.sign_in(author.email, PASSWORD, lang="en")
    response = browser.submit(f"/en/subjects/listing/{kk_request.id}", {"add": "zzqx unknown thing"},
                              page=f"/en/listings/{kk_request.id}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "No subject is called" in page and 'value="zzqx unknown thing"' in page


def test_only_the_listings_institution_may_correct_its_subjects(browser, make, drip_listings):
    kk_request, _ = drip_listings
    stranger = make.user("someone@else.cn", institution=make.institution("Other", country="CN"))
    browser.sign_in(stranger.email, PASSWORD)
    response = browser.submit(f"/en/subjects/listing/{kk_request.id}", {"add": "saxaul"}, page="/en/")
    assert response.status_code == 403


def test_autocomplete_answers_in_the_readers_language(client, db_session):
    kk = label(db_session, "saxaul", "kk")
    suggestions = client.get("/kk/subjects/complete", query_string={"q": kk[:4]}).get_json()
    assert {"key": "saxaul", "label": kk} == {k: v for k, v in suggestions[0].items() if k != "also"} or any(
        item["key"] == "saxaul" for item in suggestions)
    assert client.get("/kk/subjects/complete", query_string={"q": ""}).get_json() == []


def test_a_suggested_partner_is_explained_by_the_concepts_both_are_about(browser, db_session, make, drip_listings):
    from portal.matching.store import refresh_matches

    kk_request, zh_offer = drip_listings
    refresh_matches(db_session, kk_request)
    author = make.user("aigerim@kwi.kz", institution=kk_request.institution)
    browser.sign_in(author.email, PASSWORD, lang="en")
    page = browser.get(f"/en/listings/{kk_request.id}").get_data(as_text=True)
    assert f'/en/listings/{zh_offer.id}"' in page
    reasons = re.findall(r"<li>(Both about [^<]+)</li>", page)
    assert any("drip irrigation" in reason for reason in reasons), reasons
