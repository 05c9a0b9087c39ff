"""SKOS in and out: the shipped thesaurus, and a standard file an operator adds (AGROVOC-like)."""

from __future__ import annotations

import tomllib
from functools import cache

import pytest
from pathlib import Path

from portal.language.analyzer import fold
from portal.thesaurus.concepts import LANGUAGES, Concept
from portal.thesaurus.skos import read_skos, write_turtle

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "seed" / "thesaurus.ttl"

AGROVOC_LIKE = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix agrovoc: <http://aims.fao.org/aos/agrovoc/> .
agrovoc:c_2397 a skos:Concept ;
    skos:prefLabel "drip irrigation"@en , "goutte-à-goutte"@fr , "капельное орошение"@ru ;
    skos:prefLabel "滴灌"@zh ;
    skos:altLabel "trickle irrigation"@en ;
    skos:hiddenLabel "томчилатиб суғориш"@uz-Cyrl ;
    skos:broader agrovoc:c_3954 .
agrovoc:c_3954 a skos:Concept ;
    skos:prefLabel "irrigation"@en ;
    skos:narrower agrovoc:c_99 .
agrovoc:c_99 a skos:Concept ; skos:prefLabel "sprinkler irrigation"@en .
"""


@cache
def shipped() -> list[Concept]:
    return read_skos(SHIPPED)


def test_a_standard_skos_file_loads_with_keys_from_its_own_prefixes():
    concepts = {concept.key: concept for concept in read_skos("", data=AGROVOC_LIKE)}
    drip = concepts["agrovoc:c_2397"]
    assert drip.uri == "http://aims.fao.org/aos/agrovoc/c_2397"
    assert drip.pref == {"en": "drip irrigation", "zh": "滴灌", "ru": "капельное орошение"}  # fr is not ours
    assert drip.alt == {"en": ("trickle irrigation",), "uz": ("томчилатиб суғориш",)}
    assert drip.broader == ("agrovoc:c_3954",)
    assert concepts["agrovoc:c_99"].broader == ("agrovoc:c_3954",)  # skos:narrower counts too


def _comparable(concept: Concept, keys: set[str]) -> tuple:
    return (concept.key, concept.uri, dict(concept.pref), {lang: set(alt) for lang, alt in concept.alt.items()},
            {key for key in concept.broader if key in keys}, {key for key in concept.related if key in keys},
            set(concept.topics))


def test_writing_and_reading_back_keeps_every_concept_as_it_was():
    concepts = shipped()[::20]
    keys = {concept.key for concept in concepts}
    again = read_skos("", data=write_turtle(concepts))
    assert [_comparable(c, keys) for c in again] == [_comparable(c, keys) for c in concepts]


def test_the_shipped_thesaurus_covers_the_three_centers_and_the_summit_technologies():
    concepts = shipped()
    assert len(concepts) >= 1500
    labels = {fold(concept.pref["en"]) for concept in concepts}
    for expected in ("drip irrigation", "saxaul", "soil salinization", "shelterbelt", "aral sea", "microfinance",
                     "rural e-commerce", "joint degree", "summer school", "vocational education and training",
                     "hvdc transmission", "pumped-storage hydropower", "green hydrogen", "electric bus",
                     "wind turbine", "small hydropower"):
        assert any(expected in label for label in labels), expected


def test_every_concept_has_a_preferred_label_in_all_eight_languages():
    missing = {language: [c.key for c in shipped() if not c.pref.get(language)] for language in LANGUAGES}
    assert {language: keys[:5] for language, keys in missing.items() if keys} == {}


def test_labels_are_translated_not_copied_from_english():
    for language in ("zh", "ru", "kk", "ky", "tg", "tk", "uz"):
        copied = [c.key for c in shipped() if c.pref.get(language, "").lower() == c.pref["en"].lower()]
        # Proper names and abbreviations (HVDC, Landsat) may stay as they are written.
        assert len(copied) < 0.05 * len(shipped()), (language, copied[:10])


def test_links_point_at_concepts_of_the_file_and_topics_of_the_portal():
    keys = {concept.key for concept in shipped()}
    topics = {topic["slug"] for topic in tomllib.loads((ROOT / "seed" / "topics.toml").read_text())["topic"]}
    for concept in shipped():
        assert set(concept.broader) <= keys and set(concept.related) <= keys, concept.key
        assert set(concept.topics) <= topics, concept.key
    assert sum(1 for concept in shipped() if concept.topics) > len(shipped()) / 2


def test_the_general_words_between_the_specific_concepts_are_concepts_and_broader_ones():
    concepts = {concept.key: concept for concept in shipped()}
    for key in ("vaccine", "heritage", "silk-road", "monitoring", "recycling", "greenhouses", "forecasting",
                "training", "laboratories", "pilot-projects", "certification", "exports", "tourism", "water-supply"):
        assert key in concepts, key
    assert "vaccine" in concepts["veterinary-vaccines"].broader
    assert "recycling" in concepts["battery-recycling"].broader
    assert "monitoring" in concepts["glacier-monitoring"].broader
    assert "heritage" in concepts["cultural-heritage"].broader


@cache
def shipped_annotator():
    from portal.thesaurus.annotator import Annotator
    from portal.thesaurus.concepts import Thesaurus
    return Annotator(Thesaurus(shipped()))


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("kk", "мал вакциналары", {"vaccine"}),
    ("tk", "Ýüpek ýolunyň mirasy", {"silk-road", "heritage"}),
    ("uz", "chiqindilarni qayta ishlash", {"recycling"}),
    ("zh", "新建温室", {"greenhouses"}),
    ("ru", "пилотный проект в двух сёлах", {"pilot-projects", "villages"}),
    ("ky", "кол өнөр буюмдарын экспорттоо", {"handicraft-products", "exports"}),
    ("tg", "рушди сайёҳӣ дар кӯҳистон", {"tourism"}),
    ("en", "weather forecasting for farmers", {"forecasting", "farmers"}),
])
def test_a_listing_naming_only_general_words_is_understood_in_every_language(language, text, expected):
    assert expected <= set(shipped_annotator().annotate([(language, text)]).counts)


@pytest.mark.parametrize(("language", "text", "not_expected"), [
    ("ky", "меморандумга кол коюу", "lakes"),  # кол (hand) is not көл (lake)
    ("uz", "Bu boʻladi, shuning toʻgʻrisida", "children"),
    ("en", "international cooperation between universities", "cooperatives"),
    ("kk", "келісімге қол жеткізу", "delivery-services"),
])
def test_common_words_do_not_name_a_general_concept(language, text, not_expected):
    assert not_expected not in shipped_annotator().annotate([(language, text)]).counts
