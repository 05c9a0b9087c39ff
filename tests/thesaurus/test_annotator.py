"""The annotator reads concepts out of text in any of the eight languages and both scripts."""

from __future__ import annotations

import pytest

from portal.thesaurus.annotator import Annotator
from portal.thesaurus.concepts import Concept, Thesaurus

DRIP = Concept("drip-irrigation", "u:drip", pref={
    "en": "drip irrigation", "zh": "滴灌", "ru": "капельное орошение", "kk": "тамшылатып суару",
    "ky": "тамчылатып сугаруу", "tg": "обёрии қатрагӣ", "tk": "damjalaýyn suwaryş", "uz": "tomchilatib sugʻorish"},
    alt={"en": ("trickle irrigation",), "ru": ("капельный полив",), "uz": ("томчилатиб суғориш",)},
    broader=("irrigation",), topics=("water-saving-irrigation",))
SUBSURFACE = Concept("subsurface-drip-irrigation", "u:sub", pref={"en": "subsurface drip irrigation", "zh": "地下滴灌"},
                     broader=("drip-irrigation",))
IRRIGATION = Concept("irrigation", "u:irr", pref={"en": "irrigation", "ru": "орошение", "zh": "灌溉"})
PV = Concept("photovoltaics", "u:pv", pref={"en": "photovoltaics", "zh": "光伏"}, alt={"en": ("PV", "solar PV")})
SAXAUL = Concept("saxaul", "u:sax", pref={"en": "saxaul", "tk": "sazak", "ru": "саксаул"}, alt={"tk": ("sazagy",)})
PISTACHIO = Concept("pistachio", "u:pis", pref={"en": "pistachio", "ru": "фисташка"})
MASS_BALANCE = Concept("glacier-mass-balance", "u:gmb", pref={"en": "glacier mass balance", "kk": "мұздықтың масса балансы"})
ANNOTATOR = Annotator(Thesaurus([DRIP, SUBSURFACE, IRRIGATION, PV, SAXAUL, PISTACHIO, MASS_BALANCE]))


def concepts(*texts: str) -> set[str]:
    return set(ANNOTATOR.annotate(texts).counts)


@pytest.mark.parametrize("text", [
    "Мақта алқаптары үшін тамшылатып суаруды енгізу",  # Kazakh, accusative
    "Тамчылатып сугарууну киргизүү",  # Kyrgyz, accusative
    "Damjalaýyn suwaryşy ornaşdyrmak",  # Turkmen, possessive
    "tomchilatib sugʻorishni joriy etish",  # Uzbek, Latin with ʻ
    "tomchilatib sug'orishni joriy etish",  # Uzbek, typed apostrophe
    "Томчилатиб суғоришни жорий этиш",  # Uzbek, Cyrillic
    "Требуется оборудование капельного орошения",  # Russian, genitive
    "膜下滴灌与水肥一体化成套技术转让",  # Chinese, no spaces
    "We offer trickle irrigation kits",  # an English synonym
])
def test_drip_irrigation_is_found_in_every_language_and_script(text):
    assert "drip-irrigation" in concepts(text)


def test_the_longest_label_wins_and_the_shorter_is_not_counted_inside_it():
    assert concepts("We install subsurface drip irrigation") == {"subsurface-drip-irrigation"}
    assert concepts("subsurface drip irrigation and drip irrigation") == {"subsurface-drip-irrigation",
                                                                          "drip-irrigation"}


def test_an_english_keyword_is_read_as_english_on_a_listing_in_another_language():
    annotation = ANNOTATOR.annotate([("uz", "Paxta dalalari uchun hamkor kerak"), ("uz", "drip irrigation")])
    assert "drip-irrigation" in annotation.counts


def test_a_stem_that_changes_is_reached_through_an_alternative_label():
    assert concepts("Sazagy ekmek") == {"saxaul"}


def test_short_abbreviations_are_taken_only_in_capitals_in_running_text():
    assert concepts("We install PV modules for villages in the mountains of the Pamir") == {"photovoltaics"}
    assert concepts("We install pv modules for villages in the mountains of the Pamir") == set()
    # …while a keyword, like a query, is typed in lower case.
    assert concepts("pv modules") == {"photovoltaics"}
    assert ANNOTATOR.annotate_query("solar pv")[1] == {"photovoltaics": {0, 1}}


def test_counts_say_how_many_texts_name_a_concept_and_forms_how_they_wrote_it():
    annotation = ANNOTATOR.annotate(["滴灌系统", "Drip irrigation for cotton", "Cotton"])
    assert annotation.counts["drip-irrigation"] == 2
    assert annotation.forms["drip-irrigation"] == ["滴灌", "drip irrigation"]


def test_a_query_maps_its_words_to_the_concepts_covering_them():
    words, covered = ANNOTATOR.annotate_query("affordable drip irrigation kits")
    assert words == ["affordable", "drip", "irrigation", "kits"]
    assert covered == {"drip-irrigation": {1, 2}}


def test_nothing_is_found_in_unrelated_text():
    assert concepts("A summer school on Silk Road history", "") == set()


def test_the_thesaurus_widens_a_concept_to_narrower_ones_and_labels_in_the_readers_language():
    thesaurus = ANNOTATOR.thesaurus
    assert thesaurus.with_narrower("irrigation") == {"irrigation", "drip-irrigation", "subsurface-drip-irrigation"}
    assert thesaurus.label("drip-irrigation", "kk") == "тамшылатып суару"
    assert thesaurus.label("subsurface-drip-irrigation", "kk") == "subsurface drip irrigation"  # English fallback


def test_autocomplete_prefers_the_readers_language_and_finds_labels_of_any_language():
    thesaurus = ANNOTATOR.thesaurus
    assert [concept.key for concept in thesaurus.complete("тамш", "kk")] == ["drip-irrigation"]
    assert [concept.key for concept in thesaurus.complete("drip", "kk")][0] == "drip-irrigation"
    assert thesaurus.find_label("Тамшылатып суару").key == "drip-irrigation"


@pytest.mark.parametrize("text", ["Закладка фисташковых плантаций", "фисташковые плантации"])
def test_a_russian_adjective_names_the_concept_of_its_noun(text):
    assert concepts(text) == {"pistachio"}
    assert "pistachio" in ANNOTATOR.annotate_query(text)[1]


def test_an_inflected_turkic_label_word_meets_the_same_word_inflected_otherwise():
    # The label's мұздықтың (genitive) and the text's мұздығының (possessive + genitive, q → g).
    assert concepts("Тұйықсу мұздығының масса балансы 1957 жылдан бері өлшенеді") == {"glacier-mass-balance"}


CAMEL_WOOL = Concept("camel-wool", "u:cw", pref={"en": "camel wool", "kk": "шуда"})
GRAIN = Concept("grain", "u:gr", pref={"en": "grain", "tg": "ғалла"})
GALLIUM = Concept("gallium", "u:ga", pref={"en": "gallium", "tg": "галлий", "kk": "галлий"})
LOANS = Concept("loans", "u:lo", pref={"en": "loans", "ru": "заём"}, alt={"ru": ("заем",)})
HOMOGRAPHS = Annotator(Thesaurus([CAMEL_WOOL, GRAIN, GALLIUM, LOANS]))


def test_a_tajik_text_does_not_read_a_turkic_label_that_is_a_tajik_word():
    # шуда is Kazakh for camel wool and the Tajik past participle "became".
    assert set(HOMOGRAPHS.annotate([("tg", "Лоиҳа соли гузашта анҷом дода шуда буд")]).counts) == set()
    assert set(HOMOGRAPHS.annotate([("kk", "Түйе шудасын өңдеу")]).counts) == {"camel-wool"}
    assert "camel-wool" in HOMOGRAPHS.annotate_query("шуда")[1]  # a query's language is unknown


def test_of_two_turkic_labels_meeting_by_stem_the_one_written_as_the_text_writes_wins():
    # галлий and ғалла share the stem "gall"; the text writes ғалла.
    assert set(HOMOGRAPHS.annotate([("tg", "Ҳосили ғалла зиёд шуд")]).counts) == {"grain"}
    assert set(HOMOGRAPHS.annotate([("tg", "Истеҳсоли галлий")]).counts) == {"gallium"}


def test_a_two_letter_word_is_not_a_shortened_form_of_a_longer_label_word():
    assert set(HOMOGRAPHS.annotate([("ru", "Деньги выделены за счёт гранта")]).counts) == set()
    assert set(HOMOGRAPHS.annotate([("ru", "Беспроцентный заём фермерам")]).counts) == {"loans"}


def test_a_concept_only_a_description_names_is_not_prominent():
    from portal.thesaurus.annotator import Body

    annotation = ANNOTATOR.annotate([("en", "Saxaul planting in the Aral Sea region"),
                                     Body("en", "Plots get drip irrigation for the first two years."),
                                     "PV"])
    assert set(annotation.counts) == {"saxaul", "drip-irrigation", "photovoltaics"}
    assert annotation.prominent == {"saxaul", "photovoltaics"}


def test_a_short_stem_goes_to_the_label_the_word_is_written_like():
    # Snowball gives Russian сели (mudflows) and села (villages) one stem, сел.
    annotator = Annotator(Thesaurus([Concept("mudflow", "u:mf", pref={"en": "mudflow", "ru": "сель"}, alt={"ru": ("сели", "селях")}),
                                     Concept("villages", "u:v", pref={"en": "villages", "ru": "сёла"}, alt={"ru": ("село",)})]))
    assert set(annotator.annotate([("ru", "Сели угрожают кишлакам")]).counts) == {"mudflow"}
    assert set(annotator.annotate([("ru", "Гостевые дома в трёх сёлах")]).counts) == {"villages"}
