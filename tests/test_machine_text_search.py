"""Machine translations in search and matching: extra text that finds and matches listings
across languages, always below what people wrote, and said so on the results it alone found.

The translations come from the fake LibreTranslate (a real HTTP server on loopback), through
the reader's "Translate" and the worker, whose glossary turns the Kazakh texts into Chinese."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.changes.signals import announce_listing_changed
from portal.listings.models import Direction, ListingKind, ListingTranslation
from portal.machine_translation import services
from portal.matching.models import ListingMatch
from portal.matching.engine import score_pair
from portal.matching.index import MatchIndex
from portal.matching.store import _lexicon, profile_of
from portal.search.index import rebuild_index
from portal.worker.passes import Worker
from tests.support.web import csrf_token

# A Kazakh offer of telescope optics, and what the "engine" makes of it in Chinese. No word of
# these names a concept of the shipped thesaurus, so nothing but the text connects them.
KAZAKH = ("Оптикалық жабдық", "Жұлдыздарды бақылауға арналған айналы жабдық ұсынамыз.", "")
CHINESE = ("光学望远镜设备", "我们提供观测星星的反射望远镜。", "")
EDITED = "Жұлдыздар мен галактикаларды бақылау."
EDITED_CHINESE = "射电望远镜与星系观测。"
FOUND_BY_MACHINE_ZH = "通过机器翻译找到"


@pytest.fixture(autouse=True)
def fresh_breakers():
    services._breakers.clear()
    yield
    services._breakers.clear()


@pytest.fixture()
def glossary(translator):
    translator.glossary.update(zip(KAZAKH[:2], CHINESE[:2]))
    translator.glossary[EDITED] = EDITED_CHINESE
    return translator


def _app(app_with, translator, **settings):  # noqa: ANN001, ANN202
    return app_with(TRANSLATION_URL=translator.url, TRANSLATION_REQUEST_TIMEOUT_SECONDS=2,
                    TRANSLATION_TIMEOUT_SECONDS=2, **settings)


def _press_translate(client, listing_id: int, lang: str = "zh"):  # noqa: ANN001, ANN202
    page = client.get(f"/{lang}/account/login").get_data(as_text=True)
    return client.post(f"/{lang}/listings/{listing_id}/machine-translation", data={"csrf_token": csrf_token(page)})


def _cards(client, query: str, lang: str = "zh") -> list[tuple[int, str]]:  # noqa: ANN001
    """(listing id, card HTML) of the search page's results, in order."""
    html = client.get(f"/{lang}/listings/", query_string={"q": query}).get_data(as_text=True)
    cards = html.split('<li class="listing-card">')[1:]
    return [(int(re.search(r'href="/\w\w/listings/(\d+)"', card).group(1)), card.split("</li>\n")[0])
            for card in cards]


@pytest.fixture()
def telescopes(make, db_session):
    """The Kazakh-only offer, and a Chinese listing with the same word in its human summary
    (made first, so on an equal score it would come second)."""
    human = make.listing(language="zh", title="镜片加工", summary="我们为望远镜加工光学镜片。", description="",
                         institution=make.institution(country="CN"))
    kazakh = make.listing(language="kk", title=KAZAKH[0], summary=KAZAKH[1], description=KAZAKH[2])
    rebuild_index(db_session)
    db_session.commit()
    return kazakh, human


def test_a_chinese_query_finds_a_kazakh_listing_through_its_machine_translation(
        app_with, glossary, telescopes, db_session):
    kazakh, human = telescopes
    client = _app(app_with, glossary).test_client()
    assert [listing_id for listing_id, _card in _cards(client, "望远镜")] == [human.id]  # not translated yet

    _press_translate(client, kazakh.id)
    assert services.stored(db_session, kazakh.id, "zh").title == CHINESE[0]
    cards = _cards(client, "望远镜")
    # Both found; the word people wrote (in a summary) ranks above the machine's (in a title).
    assert [listing_id for listing_id, _card in cards] == [human.id, kazakh.id]
    assert FOUND_BY_MACHINE_ZH in cards[1][1] and FOUND_BY_MACHINE_ZH not in cards[0][1]
    assert KAZAKH[0] in cards[1][1]  # the card still shows what the author wrote
    english = dict(_cards(client, "望远镜", lang="en"))
    assert "Found through a machine translation" in english[kazakh.id]

    # The Kazakh words still find it, as before, without the note.
    [(found, card)] = _cards(client, "жұлдыздарды")
    assert found == kazakh.id and FOUND_BY_MACHINE_ZH not in card

    items = client.get("/api/v1/listings", query_string={"q": "望远镜", "lang": "zh"}).json["items"]
    assert [(item["id"], item["found_through_machine_translation"]) for item in items] == [
        (human.id, False), (kazakh.id, True)]


def test_the_index_follows_the_machine_translation_edited_redone_and_replaced(
        app_with, glossary, telescopes, db_session):
    kazakh, human = telescopes
    app = _app(app_with, glossary, TRANSLATION_LANGUAGES="zh")
    client = app.test_client()
    _press_translate(client, kazakh.id)
    assert kazakh.id in dict(_cards(client, "星星"))  # a word of the machine summary only

    # The author edits the original: the old translation no longer speaks for the listing.
    kazakh.original.summary = EDITED
    announce_listing_changed(db_session, [kazakh.id])
    db_session.commit()
    assert kazakh.id not in dict(_cards(client, "星星"))
    assert kazakh.id not in dict(_cards(client, "星系"))

    # The worker redoes it from the new original: its new words find the listing, the old ones no more.
    with app.app_context():
        assert Worker(kinds=("translate",)).run_pass().translations.made == 1
    assert kazakh.id not in dict(_cards(client, "星星"))
    found = dict(_cards(client, "星系"))
    assert FOUND_BY_MACHINE_ZH in found[kazakh.id]

    # A person writes the Chinese version: the machine one goes, and the card says nothing more.
    kazakh.translations.append(ListingTranslation(language="zh", title="射电望远镜", summary="人写的：星系观测。",
                                                  description=""))
    announce_listing_changed(db_session, [kazakh.id])
    db_session.commit()
    assert services.stored(db_session, kazakh.id, "zh") is None
    found = dict(_cards(client, "星系"))
    assert kazakh.id in found and FOUND_BY_MACHINE_ZH not in found[kazakh.id]


def test_rebuilding_the_index_keeps_the_machine_text(app_with, glossary, telescopes, db_session):
    from portal.search.models import SearchDocument

    kazakh, _human = telescopes
    client = _app(app_with, glossary).test_client()
    _press_translate(client, kazakh.id)
    db_session.expire_all()
    before = db_session.get(SearchDocument, kazakh.id).machine_tokens
    assert before and "望远" in before.split()
    rebuild_index(db_session)
    db_session.commit()
    db_session.expire_all()
    assert db_session.get(SearchDocument, kazakh.id).machine_tokens == before
    assert kazakh.id in dict(_cards(client, "望远镜"))


# --- Matching ----------------------------------------------------------------------------------


def _partners(db_session, listing_id: int) -> dict[int, float]:  # noqa: ANN001
    db_session.expire_all()
    rows = db_session.execute(select(ListingMatch.partner_id, ListingMatch.score)
                              .where(ListingMatch.listing_id == listing_id))
    return {partner: score for partner, score in rows}


def test_machine_text_lets_listings_in_two_languages_match_but_below_human_text(
        app_with, glossary, make, db_session, matching_worker):
    def listing(language, direction, texts, country, translations=None):  # noqa: ANN001, ANN202
        made = make.listing(language=language, direction=direction, kind=ListingKind.TECHNOLOGY_TRANSFER,
                            title=texts[0], summary=texts[1], description=texts[2], translations=translations,
                            institution=make.institution(country=country))
        made.working_languages = ["ru"]  # one common language for every pair: only the text differs
        return made

    # (no word of a thesaurus concept, which would bring the two together before any translation)
    request = listing("zh", Direction.REQUEST, ("寻找反射望远镜", "需要光学望远镜看星星。", ""), "CN")
    machine_only = listing("kk", Direction.OFFER, KAZAKH, "KZ")
    announce_listing_changed(db_session, [request.id, machine_only.id])  # published, as a service would say
    db_session.commit()
    matching_worker()
    assert machine_only.id not in _partners(db_session, request.id)  # nothing in common yet

    app = _app(app_with, glossary, TRANSLATION_LANGUAGES="zh")
    with app.app_context():
        assert Worker(kinds=("translate",)).run_pass().translations.made == 1  # the Kazakh offer, into Chinese
    matching_worker()  # the translation is a change of its listing, followed like any other
    partners = _partners(db_session, request.id)
    assert machine_only.id in partners and _partners(db_session, machine_only.id)[request.id] == partners[machine_only.id]

    # The same offer with the same Chinese text written by a person fits the request better:
    # the three profiles as the worker builds them, scored on one index.
    human = listing("kk", Direction.OFFER, KAZAKH, "KZ", translations={"zh": CHINESE})
    db_session.commit()
    lexicon = _lexicon(db_session)
    profiles = [profile_of(made, lexicon) for made in (request, machine_only, human)]
    index = MatchIndex(profiles)
    by_machine, by_people = (score_pair(profiles[0], profile, index) for profile in profiles[1:])
    assert by_machine is not None and by_people is not None
    assert by_people.score > by_machine.score > 0
    assert "similar_text" in {reason.code for reason in by_people.reasons}
