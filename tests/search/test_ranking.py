"""Ranking from plain id sets: the same numbers whatever database found the ids. Pure."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.search.ranking import (BODY, TAXONOMY, TITLE, SearchResult, inverse_document_frequency,
                                   matching_documents, order_by_relevance, score_documents)


def term(title=(), body=(), taxonomy=()):
    return {TITLE: set(title), BODY: set(body), TAXONOMY: set(taxonomy)}


def test_title_match_beats_taxonomy_beats_body():
    scores = score_documents([term(title={1}, taxonomy={2}, body={3})], total_documents=10)
    assert scores[1] > scores[2] > scores[3] > 0


def test_several_fields_add_up():
    scores = score_documents([term(title={1, 2}, body={1})], total_documents=10)
    assert scores[1] > scores[2]


def test_rarer_term_weighs_more():
    common = term(title={1}, body={2, 3, 4, 5, 6})
    rare = term(title={2}, body={1})
    scores = score_documents([common, rare], total_documents=10)
    assert set(scores) == {1, 2}  # only those having both
    assert scores[2] > scores[1]  # the rare term in its title


def test_all_terms_must_match_and_nothing_is_not_widened():
    assert matching_documents([term(title={1, 2}), term(body={2, 3})]) == {2}
    assert score_documents([term(title={1}), term(body={2})], total_documents=5) == {}
    assert score_documents([], total_documents=5) == {}


def test_idf_is_positive_and_falls_with_frequency():
    values = [inverse_document_frequency(frequency, 100) for frequency in (1, 10, 50, 100)]
    assert values == sorted(values, reverse=True)
    assert values[-1] > 0
    assert inverse_document_frequency(5, 0) > 0  # a stale count never breaks the formula


def test_scores_are_reproducible():
    terms = [term(title={1, 2, 3}, body={4}), term(body={1, 2, 3, 4}, taxonomy={2})]
    assert score_documents(terms, 50) == score_documents(terms, 50)


def test_ties_go_to_the_newest_published_then_the_newest_id():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    scores = {1: 2.0, 2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0}
    published = {2: now, 3: now + timedelta(days=1), 4: now, 5: None}
    assert order_by_relevance(scores, published) == [1, 3, 4, 2, 5]


@pytest.mark.parametrize("terms, empty", [([], True), (["water"], False)])
def test_search_result_says_whether_there_was_anything_to_search(terms, empty):
    assert SearchResult(terms=terms).is_empty_query is empty
    assert SearchResult(terms=terms).scores == {}
