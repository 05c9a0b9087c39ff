"""Relevance from plain sets of ids, so both databases rank alike. Pure: no Flask, no SQL.

The database only answers "which documents have this token in this field"; everything that
decides the order happens here, the same way whatever the backend.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime

from portal.search.query import Alternative

TITLE, BODY, TAXONOMY = "title", "body", "taxonomy"
FIELDS: tuple[str, ...] = (TITLE, BODY, TAXONOMY)
#: The fields the database's text index answers for; taxonomy labels are matched by the facet
#: index (``listings.facet_index``).
TEXT_FIELDS: tuple[str, ...] = (TITLE, BODY)
# A word in the title says most about a listing; a topic label names what it is about, the
# body merely mentions it.
FIELD_WEIGHTS: Mapping[str, float] = {TITLE: 3.0, TAXONOMY: 2.0, BODY: 1.0}

#: For one query term: field -> ids of the documents having the term there.
TermMatches = Mapping[str, Set[int]]
#: For one query term: its alternatives (see ``query``), and its matches in the text fields.
TextMatches = tuple[Sequence[Alternative], TermMatches]


@dataclass(frozen=True)
class SearchResult:
    """``terms`` as understood (empty: nothing to search for), ``scores`` of the matches only."""

    terms: list[str]
    scores: dict[int, float] = field(default_factory=dict)

    @property
    def is_empty_query(self) -> bool:
        return not self.terms


def documents_with_term(matches: TermMatches) -> set[int]:
    """Documents having the term in any field."""
    found: set[int] = set()
    for ids in matches.values():
        found |= ids
    return found


def matching_documents(terms: Sequence[TermMatches]) -> set[int]:
    """Documents having every term (AND); none when there are no terms."""
    if not terms:
        return set()
    per_term = sorted((documents_with_term(matches) for matches in terms), key=len)
    return set.intersection(*per_term)


def inverse_document_frequency(document_frequency: int, total_documents: int) -> float:
    """BM25's idf, kept positive: a term in most documents still counts a little."""
    total = max(total_documents, document_frequency)
    return math.log(1.0 + (total - document_frequency + 0.5) / (document_frequency + 0.5))


def score_documents(terms: Sequence[TermMatches], total_documents: int,
                    weights: Mapping[str, float] = FIELD_WEIGHTS) -> dict[int, float]:
    """score(doc) = Σ over terms of idf(term) × Σ over fields having the term of its weight.

    Only documents matching every term are scored; an AND without result stays empty.
    """
    matched = matching_documents(terms)
    scores = dict.fromkeys(matched, 0.0)
    if not matched:
        return scores
    for matches in terms:  # in query order, so the float sums are the same on every run
        idf = inverse_document_frequency(len(documents_with_term(matches)), total_documents)
        for field_name in FIELDS:
            weight = idf * weights.get(field_name, 0.0)
            for document in matches.get(field_name, set()) & matched:
                scores[document] += weight
    return scores


def order_by_relevance(scores: Mapping[int, float],
                       published_at: Mapping[int, datetime | None]) -> list[int]:
    """Ids by score, then newest published, then newest id; never-published ones last in a tie."""
    def key(document: int) -> tuple[float, float, int]:
        published = published_at.get(document)
        recency = published.timestamp() if published is not None else -math.inf
        return (-scores[document], -recency, -document)

    return sorted(scores, key=key)
