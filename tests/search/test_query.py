"""Query parsing: user syntax is never syntax, and silly input never raises. Pure."""

import time

import pytest

from portal.search.query import MAX_TERMS, Alternative, parse_query


def labels(text):
    return [term.label for term in parse_query(text)]


def test_word_matches_as_prefix_or_russian_stem():
    (term,) = parse_query("опустынивания")
    assert term.alternatives == (Alternative("опустынивания", prefix=True),
                                 Alternative("~опустыниван"), Alternative("opustynivaniya", prefix=True),
                                 Alternative("~~opustyniv"))


def test_a_russian_adjective_also_matches_the_noun_it_is_made_from():
    (term, _) = parse_query("фисташковые плантации")
    assert Alternative("~фисташков") in term.alternatives  # фисташковых
    assert Alternative("~фисташк") in term.alternatives  # фисташки, фисташка


def test_latin_word_gets_english_stem():
    (term,) = parse_query("Irrigated")
    assert term.alternatives == (Alternative("irrigated", prefix=True), Alternative("~irrig"),
                                 Alternative("~~irrigatet"))


def test_turkic_word_without_stemmer_is_a_prefix():
    (term,) = parse_query("суармал")
    assert Alternative("суармал", prefix=True) in term.alternatives


def test_short_words_and_numbers_match_exactly():
    assert parse_query("5g")[0].alternatives[0] == Alternative("5g", prefix=False)
    assert parse_query("2024")[0].alternatives == (Alternative("2024", prefix=False),)


def test_chinese_query_becomes_bigrams_that_all_must_match():
    assert labels("光伏") == ["光伏"]
    assert labels("荒漠化") == ["荒漠", "漠化"]
    assert labels("沙") == ["沙"]
    assert parse_query("沙")[0].alternatives == (Alternative("沙"),)


def test_query_is_folded_like_documents():
    assert labels("O‘ZBEK İklim ЁЛКА") == ["oʻzbek", "iklim", "елка"]


@pytest.mark.parametrize("text, expected", [
    ('"solar" AND (water OR -sand) NEAR/3 title:pump^2 {x} desal*', [
        "solar", "water", "sand", "near", "3", "title", "pump", "2", "x", "desal"]),
    ("'; DROP TABLE listings; --", ["drop", "table", "listings"]),
    ("a\x00b\x1fc\x7fd", ["b", "c", "d"]),  # control characters separate ("a" is a stopword)
])
def test_operators_and_punctuation_are_plain_words_or_separators(text, expected):
    assert labels(text) == expected


@pytest.mark.parametrize("text", ["", "   ", '"" * - | ( ) : ^ { }', "\x00\x01\x02", "「」、。！"])
def test_nothing_to_search_for_gives_no_terms(text):
    assert parse_query(text) == []


def test_stopwords_are_dropped_while_another_word_remains():
    assert labels("irrigation for cotton") == ["irrigation", "cotton"]
    assert labels("and") == ["and"]


def test_terms_are_unique_and_capped():
    assert labels("water Water WATER") == ["water"]
    many = " ".join(f"word{number}" for number in range(40))
    assert len(parse_query(many)) == MAX_TERMS


def test_huge_query_is_cut_quickly():
    started = time.perf_counter()
    terms = parse_query("опустынивание " * 1000 + "x" * 10_000)
    assert len(terms) == 1
    assert time.perf_counter() - started < 0.5


def test_query_longer_than_200_characters_is_cut():
    words = [f"w{number:03d}" for number in range(100)]  # 5 characters each with the space
    assert labels(" ".join(words)) == words[:MAX_TERMS]
    assert len(parse_query("я" * 300)[0].label) <= 200
