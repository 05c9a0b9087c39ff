"""The text index's answers for common terms, kept by each process beside its facet index and
corrected listing by listing through the change log. Pure: no Flask, no SQL.

At a million listings a common word ("irrigation") is in some 30,000 documents per field, and
PostgreSQL answers it by visiting a heap row per document after the GIN lookup: 15-20 ms a term
and field, most of a two-word search. The same few common words make most queries, so a
process keeps their answers (ids per field) while the change log says which listings changed:
those are looked at again in their stored tokens, and the answer stays exact. Rare terms are
not kept: the index answers them in a few milliseconds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np

from portal.search.query import Alternative

#: Answers with fewer ids than this (all fields together) are not kept: cheap to ask again.
MIN_KEPT_IDS = 2_000
#: What the kept answers may take, per process (4 bytes an id): 256 common terms at a million.
MAX_KEPT_BYTES = 32 * 1024 * 1024

Key = tuple[Alternative, ...]


def term_matches_tokens(alternatives: Sequence[Alternative], tokens: Collection[str]) -> bool:
    """Whether a document field of these tokens has the term, as the text index decides it:
    a token equal to an alternative, or starting with a prefix alternative."""
    for alternative in alternatives:
        if alternative.prefix:
            if any(token.startswith(alternative.token) for token in tokens):
                return True
        elif alternative.token in tokens:
            return True
    return False


class TextPostings:
    """Kept answers, least recently used first out. Safe to share between a process's threads."""

    def __init__(self, max_bytes: int | None = None, min_ids: int | None = None) -> None:
        self.max_bytes = MAX_KEPT_BYTES if max_bytes is None else max_bytes
        self.min_ids = MIN_KEPT_IDS if min_ids is None else min_ids
        self._answers: OrderedDict[Key, dict[str, np.ndarray]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        # Counts corrections: an answer asked for before one and kept after it may have missed
        # a change, so it is dropped (``epoch``, then ``keep``).
        self.epoch = 0

    def __len__(self) -> int:
        return len(self._answers)

    @property
    def kept_bytes(self) -> int:
        return self._bytes

    def get(self, key: Key) -> dict[str, np.ndarray] | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def keep(self, key: Key, answer: Mapping[str, np.ndarray], asked_at_epoch: int) -> None:
        """Keep the index's answer for a term, asked when ``epoch`` was ``asked_at_epoch``."""
        size = sum(len(ids) for ids in answer.values())
        if size < self.min_ids or size * 4 > self.max_bytes:
            return
        compact = {field: np.asarray(ids, dtype=np.int32) for field, ids in answer.items()}
        with self._lock:
            if asked_at_epoch != self.epoch or key in self._answers:
                return
            self._answers[key] = compact
            self._bytes += size * 4
            while self._bytes > self.max_bytes:
                _key, dropped = self._answers.popitem(last=False)
                self._bytes -= 4 * sum(len(ids) for ids in dropped.values())

    def begin_correction(self) -> bool:
        """Before the changed listings' tokens are read: answers asked for until now are not
        kept any more (they may predate the change). Whether there are answers to correct."""
        with self._lock:
            self.epoch += 1
            return bool(self._answers)

    def correct(self, changed: Iterable[int], tokens: Mapping[int, Mapping[str, Collection[str]]]) -> None:
        """Listings ``changed``; ``tokens``: field -> tokens of those still indexed (a listing
        missing from it has no document any more). Call ``begin_correction`` first."""
        changed_ids = np.fromiter(changed, dtype=np.int32)
        if len(changed_ids) == 0:
            return
        with self._lock:
            total = 0
            for key, answer in self._answers.items():
                corrected = {}
                for field, ids in answer.items():
                    kept = ids[~np.isin(ids, changed_ids)]
                    now = [listing_id for listing_id, fields in tokens.items()
                           if term_matches_tokens(key, fields.get(field, ()))]
                    corrected[field] = np.concatenate([kept, np.array(now, dtype=np.int32)]) if now else kept
                self._answers[key] = corrected
                total += sum(len(ids) for ids in corrected.values())
            self._bytes = 4 * total

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
            self._bytes = 0
            self.epoch += 1
