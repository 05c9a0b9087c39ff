"""The matching engine (portal.matching): who matches whom, in what order, and why. Pure."""

from __future__ import annotations

import json
import pickle
import random
from datetime import UTC, date, datetime, timedelta

import pytest

from portal.matching.concepts import TopicLexicon
from portal.matching.engine import Weights, on_publish, score_pair, suggest
from portal.matching.index import MatchIndex
from portal.matching.profile import MACHINE_TEXT_WEIGHT, ListingProfile, build_profile
from portal.matching.rules import Reason, context, multiplier
from portal.matching.text import text_matching_tokens

LEXICON = TopicLexicon({
    "water-saving-irrigation": {
        "en": "Water-saving and drip irrigation", "zh": "节水灌溉与滴灌",
        "ru": "Водосберегающее и капельное орошение", "kk": "Су үнемдейтін және тамшылатып суару",
        "uz": "Suvni tejovchi va tomchilatib sugʻorish"},
    "soil-salinity": {"en": "Soil salinity management", "zh": "土壤盐渍化治理",
                      "ru": "Борьба с засолением почв"},
    "water-resources": {"en": "Water resources", "zh": "水资源", "kk": "Су ресурстары"},
    "sand-fixation": {"en": "Sand fixation", "zh": "防风固沙", "ru": "Закрепление подвижных песков"},
    "solar-power": {"en": "Solar power", "zh": "太阳能发电", "ru": "Солнечная энергетика"},
    "wind-power": {"en": "Wind power", "zh": "风力发电", "ru": "Ветроэнергетика"},
    "summer-schools": {"en": "Summer schools", "zh": "暑期学校", "ru": "Летние школы"},
    "language-exchange": {"en": "Language exchange", "zh": "语言交流", "ru": "Языковой обмен"},
})

KK_DRIP_REQUEST = [
    ("kk", "Мақта алқаптары үшін тамшылатып суару технологиясы қажет"),
    ("kk", "Түркістан облысындағы тәжірибелік алқапқа су үнемдейтін тамшылатып суару жүйесін "
           "енгізу үшін технология жеткізуші серіктес іздейміз."),
    ("kk", "Бізге тамшылатып суару таспалары, сүзгілер және фертигацияны басқару жүйесі қажет. "
           "Далалық жағдайда сыналған (TRL 8–9) технологияны күтеміз."),
]
ZH_DRIP_OFFER = [
    ("zh", "膜下滴灌与水肥一体化成套技术转让"),
    ("zh", "我公司提供适用于干旱区棉花和蔬菜的膜下滴灌及水肥一体化技术，技术成熟度TRL 9级。"),
    ("zh", "成套设备包括滴灌带、叠片过滤器、施肥罐和智能控制器，并可根据当地土壤盐碱情况调整灌溉制度。"),
]


def listing(id: int, kind: str = "technology_transfer", direction: str = "offer", *,  # noqa: A002
            institution: int | None = None, country: str = "CN",
            center: str = "desertification-control", topics: tuple[str, ...] = (),
            texts: list[tuple[str | None, str]] | None = None, **details) -> ListingProfile:
    return build_profile(id=id, institution_id=id * 10 if institution is None else institution,
                         country=country, center=center, kind=kind, direction=direction,
                         topics=topics, texts=texts or [], lexicon=LEXICON, **details)


def drip_request(**details) -> ListingProfile:
    values = dict(country="KZ", topics=("water-saving-irrigation", "water-resources"),
                  texts=KK_DRIP_REQUEST, keywords=["тамшылатып суару", "фертигация"],
                  keyword_language="kk", trl=8, working_languages=["kk", "ru"])
    return listing(1, direction="request", **{**values, **details})


def drip_offer(id: int = 2, **details) -> ListingProfile:  # noqa: A002
    values = dict(topics=("water-saving-irrigation", "soil-salinity"), texts=ZH_DRIP_OFFER,
                  keywords=["膜下滴灌", "水肥一体化"], keyword_language="zh", trl=9,
                  target_countries=["KZ", "KG", "TJ", "TM", "UZ"],
                  working_languages=["zh", "ru", "en"])
    return listing(id, **{**values, **details})


def ids(suggestions) -> list[int]:
    return [suggestion.listing_id for suggestion in suggestions]


def reason(suggestion, code: str) -> Reason | None:
    return next((r for r in suggestion.reasons if r.code == code), None)


# --- Purity ---------------------------------------------------------------------------------

# (That the engine imports neither Flask nor the ORM is an import-linter contract: pyproject.toml.)


# --- Who may match whom ---------------------------------------------------------------------

def test_an_offer_meets_requests_and_never_another_offer_of_technology():
    offer = drip_offer(2)
    other_offer = drip_offer(3)
    request = drip_request()
    index = MatchIndex([offer, other_offer, request])
    assert ids(suggest(offer, index)) == [1]
    assert set(ids(suggest(request, index))) == {2, 3}
    assert suggest(listing(4, direction="request", topics=("water-saving-irrigation",)),
                   MatchIndex([drip_request()])) == []  # two requests for technology: no


@pytest.mark.parametrize("kind", ["joint_research", "youth_exchange"])
@pytest.mark.parametrize("direction", ["offer", "request"])
def test_research_and_youth_listings_seeking_partners_match_each_other(kind, direction):
    first = listing(1, kind, direction, topics=("summer-schools", "solar-power"))
    second = listing(2, kind, direction, country="UZ", topics=("summer-schools", "solar-power"))
    found = suggest(first, MatchIndex([first, second]))
    assert ids(found) == [2]
    assert reason(found[0], "also_seeks_partners").params == {"kind": kind}


def test_technology_transfer_and_youth_exchange_never_match():
    school = listing(1, "youth_exchange", "offer", topics=("solar-power",))
    request = listing(2, "technology_transfer", "request", country="KZ", topics=("solar-power",))
    research = listing(3, "joint_research", "request", country="KZ", topics=("solar-power",))
    assert ids(suggest(school, MatchIndex([school, request, research]))) == [3]


def test_never_the_same_institution_nor_the_listing_itself():
    request = drip_request()
    same_institution = drip_offer(2, institution=request.institution_id, country="KZ")
    index = MatchIndex([request, same_institution, drip_offer(3)])
    assert ids(suggest(request, index)) == [3]
    offer = drip_offer(3)
    assert 3 not in ids(suggest(offer, index))


def test_the_caller_can_skip_expired_or_excluded_listings():
    now = datetime(2026, 5, 1, tzinfo=UTC)
    expired = drip_offer(2, expires_at=now - timedelta(days=1))
    current = drip_offer(3, expires_at=now + timedelta(days=30))
    index = MatchIndex([drip_request(), expired, current])
    assert ids(suggest(drip_request(), index, now=now)) == [3]
    assert ids(suggest(drip_request(), index, exclude=frozenset({3}))) == [2]


def test_nothing_in_common_is_never_suggested_however_well_the_rest_fits():
    request = drip_request(target_countries=["CN"])
    unrelated = listing(2, topics=("wind-power",), texts=[("ru", "Лопасти ветроустановок")],
                        trl=9, target_countries=["KZ"], working_languages=["ru", "kk"])
    assert suggest(request, MatchIndex([request, unrelated])) == []


# --- Content across languages ----------------------------------------------------------------

def test_a_kazakh_drip_irrigation_request_finds_the_chinese_offer_first():
    request = drip_request()
    distractors = [
        listing(3, topics=("solar-power",), texts=[("zh", "光伏水泵与太阳能发电站技术转让")], trl=9),
        listing(4, topics=("sand-fixation",), texts=[("ru", "Закрепление подвижных песков")], trl=9),
        listing(5, topics=("water-resources",), texts=[("en", "Hydrological models for rivers")],
                trl=9, country="TJ"),
        listing(6, "joint_research", "offer", topics=("soil-salinity",),
                texts=[("ru", "Засоление почв: совместное исследование")], country="UZ"),
    ]
    index = MatchIndex([request, drip_offer(), *distractors])
    assert ids(suggest(request, index))[0] == 2
    assert ids(suggest(drip_offer(), index))[0] == 1


def test_the_taxonomy_names_bridge_languages_even_without_a_shared_tag():
    # The request is not tagged at all: its Kazakh text names drip irrigation, the offer's tag
    # (and its Chinese text) does too.
    request = drip_request(topics=())
    index = MatchIndex([request, drip_offer(), listing(3, topics=("solar-power",), trl=9,
                                                       texts=[("zh", "太阳能发电技术")])])
    found = suggest(request, index)
    assert ids(found) == [2]
    assert "water-saving-irrigation" in reason(found[0], "shared_topics").params["topics"]


def test_shared_language_versions_make_the_text_similar():
    request_ru = [("ru", "Требуется технология капельного орошения для хлопковых и овощных полей"),
                  ("ru", "Ищем партнёра — поставщика технологии для внедрения водосберегающего "
                         "капельного орошения на опытных полях в Туркестанской области.")]
    offer_ru = [("ru", "Передача технологии капельного орошения под плёнкой и фертигации"),
                ("ru", "Предлагаем комплексную технологию капельного орошения под плёнкой с "
                       "фертигацией для хлопка и овощей в засушливых районах.")]
    background = [listing(number, "joint_research", "request", country="UZ", texts=[("ru", text)])
                  for number, text in enumerate([
                      "Ищем партнёра для исследования пастбищ", "Летняя школа для студентов",
                      "Технология сушки абрикосов", "Облесение дна Аральского моря",
                      "Микрокредиты для фермерских хозяйств в Туркестанской области"], start=10)]
    alone = MatchIndex([drip_request(), drip_offer(), *background])
    together = MatchIndex([drip_request(texts=KK_DRIP_REQUEST + request_ru),
                           drip_offer(texts=ZH_DRIP_OFFER + offer_ru), *background])
    weights = Weights(similar_text=0.1)
    found = suggest(drip_request(texts=KK_DRIP_REQUEST + request_ru), together, weights=weights)[0]
    assert found.listing_id == 2
    assert reason(found, "similar_text").params["similarity"] >= 0.1
    assert found.score > suggest(drip_request(), alone, weights=weights)[0].score


def test_machine_translated_text_brings_listings_together_below_text_people_wrote():
    # A Kazakh request and a Chinese offer with no topic and no taxonomy name in common: only the
    # request's Chinese text (the offer's language) can bring them together, made by an engine
    # or by a person.
    request_zh = [("zh", "棉田需要滴灌技术"),
                  ("zh", "我们正在寻找技术供应商合作伙伴，在突厥斯坦州的试验田引进节水滴灌系统。"),
                  ("zh", "我们需要滴灌带、过滤器和水肥一体化控制系统。期望采用经过田间试验（TRL 8–9）的技术。")]

    def request(**texts):  # noqa: ANN003, ANN202
        return build_profile(id=1, institution_id=10, country="KZ", center="desertification-control",
                             kind="technology_transfer", direction="request", working_languages=["ru"],
                             **{"texts": KK_DRIP_REQUEST, **texts})

    offer = build_profile(id=2, institution_id=20, country="CN", center="desertification-control",
                          kind="technology_transfer", direction="offer", working_languages=["ru"],
                          texts=[("zh", "棉田滴灌技术转让"),
                                 ("zh", "我们提供经过田间试验的节水滴灌系统：滴灌带、过滤器和水肥一体化控制系统。")])
    machine, human = request(machine_texts=request_zh), request(texts=KK_DRIP_REQUEST + request_zh)
    assert machine.tokens["滴灌"] == MACHINE_TEXT_WEIGHT * 3 and human.tokens["滴灌"] == 3
    index = MatchIndex([machine, offer])
    assert score_pair(request(), offer, index) is None  # untranslated: nothing in common
    by_machine, by_people = score_pair(machine, offer, index), score_pair(human, offer, index)
    assert by_people.score > by_machine.score > 0
    assert pickle.loads(pickle.dumps(machine)).tokens == machine.tokens


def test_text_tokens_per_language():
    assert text_matching_tokens("滴灌带", "zh") == {"滴灌", "灌带"}
    assert text_matching_tokens("Капельное орошение 2025", "ru") == {"~капельн", "~орошен"}
    assert text_matching_tokens("тамшылатып суару", "kk") == {"~тамшыл", "~суару"}
    assert text_matching_tokens("tomchilatib sugʻorish", "uz") == {"~tomchi", "~sugʻor"}


def test_topic_names_are_mentioned_by_their_telling_words():
    assert LEXICON.mentioned(text_matching_tokens("тамшылатып суару жүйесі", "kk"), "kk") == {
        "water-saving-irrigation"}
    assert LEXICON.mentioned(text_matching_tokens("solar pumps", "en"), "en") == {"solar-power"}
    assert LEXICON.mentioned(text_matching_tokens("power and exchange", "en"), "en") == set()
    assert LEXICON.mentioned(text_matching_tokens("防护林与滴灌", "zh"), "zh") == {
        "water-saving-irrigation"}


# --- Context signals and reasons -------------------------------------------------------------

def test_reasons_of_the_drip_pair_from_both_sides():
    request, offer = drip_request(), drip_offer()
    index = MatchIndex([request, offer])
    seen_by_request = suggest(request, index)[0]
    codes = [r.code for r in seen_by_request.reasons]
    assert codes[0] == "shared_topics"
    assert reason(seen_by_request, "shared_topics").params == {"topics": ("water-saving-irrigation",)}
    assert reason(seen_by_request, "complementary").params == {
        "kind": "technology_transfer", "direction": "offer"}
    assert reason(seen_by_request, "seeks_your_country").params == {"country": "KZ"}
    assert reason(seen_by_request, "cross_border").params == {"countries": ("KZ", "CN")}
    assert reason(seen_by_request, "trl_fits").params == {"offer_trl": 9, "wanted": 8}
    assert reason(seen_by_request, "common_language").params == {"languages": ("ru",)}
    assert reason(seen_by_request, "same_center").params == {"center": "desertification-control"}
    assert seen_by_request.caveats == ()
    seen_by_offer = suggest(offer, index)[0]
    assert reason(seen_by_offer, "you_seek_their_country").params == {"country": "KZ"}
    assert reason(seen_by_offer, "seeks_your_country") is None
    assert seen_by_offer.score == seen_by_request.score  # symmetric


@pytest.mark.parametrize(("offered", "wanted", "fits"), [(9, 8, True), (7, 7, True), (4, 8, False)])
def test_trl_an_offer_must_be_at_least_as_mature_as_the_need(offered, wanted, fits):
    request = drip_request(trl=wanted)
    offer = drip_offer(trl=offered)
    found = suggest(request, MatchIndex([request, offer]))[0]
    assert (reason(found, "trl_fits") is not None) is fits
    assert any(c.code == "trl_below" for c in found.caveats) is not fits


def test_an_early_idea_ranks_below_a_proven_technology():
    request = drip_request(trl=8)
    early, proven = drip_offer(2, trl=3), drip_offer(3, trl=9)
    assert ids(suggest(request, MatchIndex([request, early, proven]))) == [3, 2]


def test_target_countries_and_the_china_central_asia_pairing():
    request = drip_request()
    elsewhere = drip_offer(2, target_countries=["TJ"])  # seeks partners in Tajikistan only
    here = drip_offer(3, target_countries=["KZ"])
    kazakh = drip_offer(4, country="KZ", target_countries=[])  # same country, no pairing bonus
    found = suggest(request, MatchIndex([request, elsewhere, here, kazakh]))
    assert ids(found) == [3, 4, 2]
    assert found[2].caveats[0] == Reason("seeks_other_countries", {"countries": ("TJ",)})


def test_working_languages_in_common():
    request = drip_request(working_languages=["kk", "ru"])
    russian, chinese = drip_offer(2, working_languages=["ru"]), drip_offer(3, working_languages=["zh"])
    found = suggest(request, MatchIndex([request, russian, chinese]))
    assert ids(found) == [2, 3]
    assert found[1].caveats[0].code == "no_common_language"


def test_dates_of_youth_exchanges():
    topics = ("summer-schools", "solar-power")
    wanted = listing(1, "youth_exchange", "request", country="KG", topics=topics,
                     starts_on=date(2026, 6, 15), ends_on=date(2026, 8, 31))
    july = listing(2, "youth_exchange", "offer", topics=topics,
                   starts_on=date(2026, 7, 6), ends_on=date(2026, 7, 24))
    winter = listing(3, "youth_exchange", "offer", topics=topics,
                     starts_on=date(2027, 1, 18), ends_on=date(2027, 2, 5))
    undated = listing(4, "youth_exchange", "offer", topics=topics)
    found = suggest(wanted, MatchIndex([wanted, july, winter, undated]))
    assert ids(found) == [2, 4, 3]
    assert reason(found[0], "dates_overlap").params == {"starts_on": "2026-07-06",
                                                        "ends_on": "2026-07-24"}
    assert found[2].caveats[0] == Reason("dates_apart", {"days": 140})


def test_reasons_are_json_ready():
    found = suggest(drip_request(), MatchIndex([drip_request(), drip_offer()]))[0]
    for item in found.reasons + found.caveats:
        assert Reason.from_dict(json.loads(json.dumps(item.to_dict()))) == item


# --- Ranking and the index -------------------------------------------------------------------

def random_profiles(count: int, seed: int) -> list[ListingProfile]:
    rnd = random.Random(seed)
    words = [f"w{n}" for n in range(60)]
    topics = ["water-saving-irrigation", "soil-salinity", "sand-fixation", "solar-power",
              "wind-power", "summer-schools", "language-exchange", "water-resources"]
    kinds = ["joint_research", "technology_transfer", "youth_exchange"]
    profiles = []
    for number in range(1, count + 1):
        kind = rnd.choice(kinds)
        start = date(2026, 1, 1) + timedelta(days=rnd.randrange(365))
        profiles.append(listing(
            number, kind, rnd.choice(["offer", "request"]), institution=rnd.randrange(count // 3),
            country=rnd.choice(["CN", "KZ", "KG", "TJ", "TM", "UZ"]),
            center=rnd.choice(["desertification-control", "poverty-reduction", "education-exchange"]),
            topics=tuple(rnd.sample(topics, rnd.randint(1, 3))),
            texts=[("en", " ".join(rnd.choices(words, k=12)))],
            target_countries=rnd.sample(["CN", "KZ", "UZ"], rnd.randint(0, 2)),
            working_languages=rnd.sample(["ru", "en", "zh", "kk"], rnd.randint(1, 2)),
            trl=rnd.randint(1, 9) if kind == "technology_transfer" else None,
            starts_on=start if kind == "youth_exchange" else None,
            ends_on=start + timedelta(days=20) if kind == "youth_exchange" else None))
    return profiles


def test_ranking_is_exact_despite_its_shortcuts():
    profiles = random_profiles(300, seed=1)
    index = MatchIndex(profiles, query_terms=1000)  # every signature token queried
    for query in profiles[:60]:
        brute = [s for other in profiles if (s := score_pair(query, other, index)) is not None]
        brute.sort(key=lambda s: (s.score, s.listing_id), reverse=True)
        found = suggest(query, index, limit=10)
        assert [s.score for s in found] == pytest.approx([s.score for s in brute[:10]], abs=1e-3)


def test_multiplier_agrees_with_the_explained_context():
    profiles = random_profiles(80, seed=2)
    weights = Weights().context
    for a in profiles:
        for b in profiles:
            assert multiplier(a, b, weights) == pytest.approx(context(a, b, weights)[0])


def test_index_follows_publication_withdrawal_and_edits():
    request = drip_request()
    index = MatchIndex([request])
    assert suggest(request, index) == []
    index.add(drip_offer(2))
    assert ids(suggest(request, index)) == [2]
    index.add(drip_offer(2, topics=("sand-fixation",), texts=[("ru", "Пески")], keywords=[]))
    assert suggest(request, index) == []  # edited away from irrigation
    index.add(drip_offer(2))
    assert index.remove(2) is True
    assert index.remove(2) is False
    assert suggest(request, index) == [] and len(index) == 1
    index.add(drip_offer(3))
    index.compact()
    assert ids(suggest(request, index)) == [3]


def test_on_publish_gives_the_new_listing_its_partners_and_them_the_new_listing():
    request = drip_request()
    index = MatchIndex([request, listing(3, topics=("wind-power",), texts=[("en", "Wind")])])
    update = on_publish(drip_offer(2), index)
    assert 2 in index
    assert ids(update.suggestions) == [1]
    [(listing_id, suggestion)] = update.reverse
    assert listing_id == 1 and suggestion.listing_id == 2
    assert reason(suggestion, "seeks_your_country").params == {"country": "KZ"}
    assert suggestion.score == update.suggestions[0].score


def test_profiles_validate_and_pickle():
    with pytest.raises(ValueError):
        listing(1, kind="internship")
    with pytest.raises(ValueError):
        listing(1, trl=10)
    profile = drip_request()
    assert pickle.loads(pickle.dumps(profile)) == profile
    assert ListingProfile(1, 1, "KZ", "c", "joint_research", "offer",
                          topics=frozenset({"a"})).concepts == {"a": 1.0}
