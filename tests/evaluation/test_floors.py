"""Floors on the cross-language evaluation set (tests/evaluation/README.md).

The weights were tuned on ``dev``; ``holdout`` was measured, never tuned on. The floors sit a
little under what the holdout gave when they were set, so that a change that costs quality
across languages fails here while the noise of a rewording does not. The old set
(tests/matching/eval_set.toml) keeps its own floors in tests/matching/test_evaluation.py.
"""

from __future__ import annotations

import pytest

from benchmarks import matching_eval, search_eval

# Measured when the floors were first set (issue 9's note): the holdout's search passed 23 of 34
# cases (0.68) and its matching reached nDCG@10 0.925; dev 0.972. Raised after the thesaurus grew
# to 2,356 concepts and 13,400 more labels (tuned on dev and dev2 only): holdout search 31 of 34
# (0.91), matching 0.958. Raised to issue 9's goal when the holdout reached it (33 of 34, 0.97,
# after tuning on dev to dev6): below 95% is a regression of what the issue asks.
HOLDOUT_SEARCH_FLOOR = 0.95
HOLDOUT_NDCG_FLOOR = 0.90
DEV_NDCG_FLOOR = 0.93


@pytest.fixture(scope="module")
def holdout_search():
    return search_eval.evaluate("holdout")


def test_the_halves_are_large_multilingual_and_mostly_untranslated():
    for name in ("dev", "holdout"):
        eval_set = matching_eval.load_eval_set(matching_eval.SETS[name])
        assert len(eval_set.profiles) >= 48 and len(eval_set.judgements) >= 30
    import tomllib

    for name in ("dev", "holdout"):
        data = tomllib.loads(matching_eval.SETS[name].read_text(encoding="utf-8"))
        originals = [row["original_language"] for row in data["listing"]]
        assert {language: originals.count(language) for language in set(originals)} == dict.fromkeys(
            ("en", "zh", "ru", "kk", "ky", "tg", "tk", "uz"), 6)
        assert sum(len(row["text"]) == 1 for row in data["listing"]) >= 36
        assert len(data["search"]) >= 30


def test_holdout_search_passes_its_floor(holdout_search):
    passed = sum(result.passed for result in holdout_search) / len(holdout_search)
    failures = [(result.case, result.query, result.missing, result.unwanted)
                for result in holdout_search if not result.passed]
    assert passed >= HOLDOUT_SEARCH_FLOOR, failures


def test_holdout_search_never_shows_an_unwanted_listing(holdout_search):
    assert [(result.case, result.unwanted) for result in holdout_search if result.unwanted] == []


@pytest.mark.parametrize(("name", "floor"), [("holdout", HOLDOUT_NDCG_FLOOR), ("dev", DEV_NDCG_FLOOR)])
def test_matching_across_languages_stays_above_its_floor(name, floor):
    results = matching_eval.evaluate(matching_eval.load_eval_set(matching_eval.SETS[name]))
    ndcg, _precision, _best = matching_eval.means(results)
    assert ndcg >= floor, f"{name}: nDCG@10 {ndcg:.3f}"
    assert all(result.ranking for result in results), "every listing gets suggestions"
