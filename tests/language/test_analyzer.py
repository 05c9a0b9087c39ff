"""The analyzer: folding, words, CJK bigrams and stems. Pure, no database."""

import re

import pytest

from portal.language.analyzer import (
    MAX_TOKEN_LENGTH,
    STEM_MARKER,
    UZBEK_APOSTROPHE,
    fold,
    join_tokens,
    russian_noun_stem,
    segments,
    text_tokens,
    texts_tokens,
)

TOKEN = re.compile(r"^(~|~~)?[^\W_]+$")  # letters, digits (ʻ is a letter), an optional stem marker


def test_turkic_i_forms_fold_together():
    assert fold("İSTANBUL") == fold("Istanbul") == fold("ıstanbul") == "istanbul"
    assert "\u0307" not in fold("İ")


def test_cyrillic_yo_and_case_fold_to_ye():
    assert fold("ЁЛКА ёлка") == "елка елка"


def test_compatibility_forms_fold():
    assert fold("ＡＢＣ １２３") == "abc 123"  # full-width Latin and digits
    assert fold("ﬁeld") == "field"  # ligature


def test_control_and_invisible_characters():
    assert fold("a\x00b\tc") == "a b c"
    assert fold("опус\u00adтынивание") == "опустынивание"  # soft hyphen inside a word
    assert fold("zero\u200bwidth") == "zerowidth"


@pytest.mark.parametrize("spelling", ["oʻzbek", "o'zbek", "o‘zbek", "o’zbek", "O`zbek", "oʼzbek",
                                      "O´ZBEK"])
def test_uzbek_apostrophes_are_one_letter(spelling):
    assert fold(spelling) == "o" + UZBEK_APOSTROPHE + "zbek"
    # the word, its plain skeleton and its Turkic stem
    assert text_tokens(spelling, "uz") == {"oʻzbek", "ozbek", "~~ozbek"}


def test_apostrophe_not_after_a_letter_is_a_quote():
    assert [segment.text for segment in segments(fold("'suv' ‘yer’"))] == ["suvʻ", "yerʻ"]
    # …and the word stays findable without its closing quote.
    assert {"suv", "suvʻ"} <= text_tokens("'suv'", "uz")


def test_words_split_at_punctuation_and_underscores():
    assert [s.text for s in segments(fold("drip-irrigation, solar_power (PV)!"))] == [
        "drip", "irrigation", "solar", "power", "pv"]


def test_chinese_is_indexed_as_characters_and_bigrams():
    assert text_tokens("光伏发电", "zh") == {"光", "伏", "发", "电", "光伏", "伏发", "发电"}


def test_latin_and_digits_inside_chinese_are_words():
    chunks = [(s.text, s.is_cjk) for s in segments(fold("5G通信和AI"))]
    assert chunks == [("5g", False), ("通信和", True), ("ai", False)]


def test_russian_and_english_text_get_stems():
    assert {"опустынивание", "~опустыниван"} <= text_tokens("Опустынивание", "ru")
    assert {"irrigated", "~irrig"} <= text_tokens("Irrigated", "en")
    assert "~farmer" in text_tokens("farmer's", "en")  # possessive with the folded apostrophe


def test_languages_without_stemmer_keep_surface_words_and_their_latin_skeleton():
    assert text_tokens("tomchilatib sugʻorish", "uz") == {"tomchilatib", "sugʻorish", "sugorish",
                                                          "~~tomchilatip", "~~sugorish"}
    assert text_tokens("суарудың", "kk") == {"суарудың", "suarudyng", "~~suar"}
    assert text_tokens("suwaryş", "tk") == {"suwaryş", "suwarysh", "~~suwarysh"}


def test_turkic_stems_meet_whatever_ending_or_stem_change():
    assert "~~suar" in text_tokens("суару", "kk") & text_tokens("суаруды", "kk")
    assert "~~kitap" in text_tokens("kitap", "tk") & text_tokens("kitaby", "tk")
    assert "~~yurek" in text_tokens("ýürek", "tk") & text_tokens("ýüregi", "tk")
    assert not any(token.startswith("~~") for token in text_tokens("irrigation канал", "en"))


def test_unknown_language_stems_by_script():
    # (keywords, of unknown language, also get their Turkic stem)
    assert text_tokens("panels", None) == {"panels", "~panel", "~~panels"}
    assert text_tokens("пустыни", None) == {"пустыни", "~пустын", "pustyni", "~~pus"}


def test_numbers_get_no_stem():
    assert text_tokens("2024", "en") == {"2024"}


def test_every_token_is_one_word_to_the_full_text_tokenizers():
    text = "Oʻzbekiston: 光伏 drip-irrigation опустынивание ЁЛКА İklim 5G! #tag @x 3.5% «ru» “en”"
    tokens = texts_tokens([(language, text) for language in ("en", "ru", "uz", "zh", None)])
    assert tokens and all(TOKEN.match(token) for token in tokens)
    assert all(STEM_MARKER not in token.removeprefix(STEM_MARKER * 2)[1:] for token in tokens)


def test_very_long_words_are_cut():
    assert {len(token) for token in text_tokens("ж" * 5000, "kk")} == {MAX_TOKEN_LENGTH}


def test_join_tokens_is_sorted_single_spaced():
    assert join_tokens(["b", "a", "b"]) == "a b"
    assert join_tokens([]) == ""


@pytest.mark.parametrize(("word", "noun"), [
    ("фисташковые", "фисташк"),  # фисташка
    ("грушевых", "груш"),  # груша
    ("абрикосового", "абрикос"),
    ("рисовые", None),  # "рис" is too short a stem to cut to
    ("острова", None),  # a noun, not an adjective
    ("сели", None),
    ("pistachio", None),
])
def test_a_russian_relational_adjective_leads_to_its_noun(word, noun):
    assert russian_noun_stem(word) == noun
