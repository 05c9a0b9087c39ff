"""Common terms' answers kept by a process: exact after any change, bounded, never older than
a correction."""

from __future__ import annotations

import numpy as np
import pytest

from portal.changes.log import note_changes
from portal.search import text_postings
from portal.search.facet_cache import current_index
from portal.search.finder import find_listings
from portal.search.index import index_listing
from portal.search.query import Alternative
from portal.search.search_params import SearchParams
from portal.search.text_postings import TextPostings, term_matches_tokens

IRRIGATION = (Alternative("irrigation", prefix=True), Alternative("~irrig"))


def _answer(title=(), body=(), machine=()):
    return {"title": np.array(title, dtype=np.int64), "body": np.array(body, dtype=np.int64),
            "machine": np.array(machine, dtype=np.int64)}


def _ids(answer):
    return {field: sorted(ids.tolist()) for field, ids in answer.items()}


def test_a_term_matches_tokens_as_the_text_index_does():
    assert term_matches_tokens(IRRIGATION, {"irrigational"})  # prefix
    assert term_matches_tokens(IRRIGATION, {"~irrig"})  # stem, exactly
    assert not term_matches_tokens(IRRIGATION, {"~irriga", "irrigatio"})


def test_only_common_terms_are_kept_and_the_least_used_leave_first():
    postings = TextPostings(max_bytes=4 * 5, min_ids=2)
    postings.keep(("rare",), _answer(title=[1]), postings.epoch)
    assert postings.get(("rare",)) is None
    postings.keep(("a",), _answer(title=[1, 2]), postings.epoch)
    postings.keep(("b",), _answer(body=[3, 4]), postings.epoch)
    postings.get(("a",))  # used since: "b" is the least recently used
    postings.keep(("c",), _answer(machine=[5, 6]), postings.epoch)
    assert postings.get(("b",)) is None
    assert _ids(postings.get(("a",)))["title"] == [1, 2] and postings.get(("c",)) is not None
    assert postings.kept_bytes == 16


def test_a_correction_rereads_the_changed_listings_only():
    postings = TextPostings(min_ids=1)
    postings.keep(IRRIGATION, _answer(title=[1, 2], body=[1, 3]), postings.epoch)
    assert postings.begin_correction()
    # 1 lost the word from its title, 3 was deleted, 4 is new with it in its machine text
    postings.correct([1, 3, 4], {1: {"title": {"pumps"}, "body": {"irrigation"}},
                                 4: {"machine": {"~irrig", "pumps"}}})
    assert _ids(postings.get(IRRIGATION)) == {"title": [2], "body": [1], "machine": [4]}


def test_an_answer_asked_before_a_correction_is_not_kept():
    postings = TextPostings(min_ids=1)
    asked_at = postings.epoch
    postings.begin_correction()  # another thread applies changes meanwhile
    postings.keep(IRRIGATION, _answer(title=[1]), asked_at)
    assert postings.get(IRRIGATION) is None


@pytest.fixture()
def kept_from_one_id(monkeypatch):
    monkeypatch.setattr(text_postings, "MIN_KEPT_IDS", 1)


def _found(db_session, q):
    return sorted(listing.id for listing in find_listings(db_session, SearchParams(q=q, per_page=100)).listings)


def test_search_stays_exact_while_a_common_word_is_kept(db_session, make, kept_from_one_id):
    first = make.listing(title="Drip irrigation for cotton")
    second = make.listing(title="Orchards", description="Irrigation scheduling with sensors")
    for listing in (first, second):
        index_listing(db_session, listing)
    assert _found(db_session, "irrigation") == sorted([first.id, second.id])
    postings = current_index(db_session).text_postings
    kept = len(postings)
    assert kept == (1 if db_session.get_bind().dialect.name == "postgresql" else 0)

    first.translations[0].title = "Drip lines for cotton"  # loses the word
    index_listing(db_session, first)
    third = make.listing(title="Солнечные насосы", language="ru", description="Solar pumps for irrigation canals")
    index_listing(db_session, third)
    note_changes(db_session, [first.id])

    assert _found(db_session, "irrigation") == sorted([second.id, third.id])
    assert len(current_index(db_session).text_postings) == kept  # corrected, not dropped
