"""Listing search with facets. The text index gives candidates (FTS5 or tsvector, per term
and field); filters, facet counts, visibility and the order of results are computed in Python
on the process's facet index (``facet_index``, kept current by ``facet_cache``), so both
databases return the same page, and a one-word search over 100,000 listings needs no scan.

Facets are disjunctive, as users of faceted search expect: values of one facet are OR-ed,
and each facet's counts ignore that facet's own selection (so choosing "Kazakhstan" still
shows how many listings "Uzbekistan" would add).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.database import utcnow
from portal.search.facet_cache import current_index
from portal.search.facet_index import FacetIndex
from portal.listings.models import Listing
from portal.taxonomy.models import Center
from portal.search.search_params import SearchParams
from portal.search.index import text_matches
from portal.search.query import MAX_QUERY_CHARACTERS, QueryTerm, parse_query


@dataclass
class SearchOutcome:
    params: SearchParams
    terms: list[str]
    total: int
    listings: list[Listing]
    facets: dict[str, list[tuple[str, int]]]
    ignored_query: bool = False  # the query had nothing searchable (only punctuation, say)
    #: listings of the page found only through the query's concepts -> those concept keys
    via_subjects: dict[int, tuple[str, ...]] = field(default_factory=dict)
    #: listings of the page found only through their machine translations
    via_machine: frozenset[int] = frozenset()
    query_subjects: tuple[str, ...] = ()  # the concepts the query was read as


def find_listings(session: Session, params: SearchParams, *, now: datetime | None = None,
                  center: str | None = None, published_after: datetime | None = None,
                  with_topics: bool = False, index: FacetIndex | None = None) -> SearchOutcome:
    """``center`` narrows every count and result to one center (its landing page);
    ``published_after`` to listings published since then (a saved search's alert);
    ``with_topics`` loads the listings' topics too (the API shows them, cards do not);
    ``index``: the facet index the caller already has (``vocabulary.current_search``)."""
    now = now or utcnow()
    terms = parse_query(params.q) if params.q else []
    index = index or current_index(session)
    term_subjects = _term_subjects(index, params.q, terms) if terms else []
    # (a word naming a concept: the concept finds its other forms, see ``QueryTerm.whole_words``)
    terms = [term.whole_words() if subjects else term for term, subjects in zip(terms, term_subjects, strict=True)]
    matches = text_matches(session, terms, index.text_postings) if terms else None
    found = index.search(params, now=now.timestamp(), terms=matches, within=_within(index, center, published_after),
                         term_subjects=term_subjects)
    return SearchOutcome(params=params, terms=[term.label for term in terms], total=found.total, facets=found.facets,
                         listings=_load_listings(session, found.page_ids, with_topics), ignored_query=bool(params.q) and not terms,
                         via_subjects=found.via_subjects, via_machine=found.via_machine,
                         query_subjects=tuple(sorted(set().union(*term_subjects))) if term_subjects else ())


def _term_subjects(index: FacetIndex, query: str, terms: list[QueryTerm]) -> list[frozenset[str]]:
    """Per query term, the thesaurus concepts that the query's words around it name."""
    if index.annotator is None:
        return [frozenset()] * len(terms)
    words, covered = index.annotator.annotate_query(query[:MAX_QUERY_CHARACTERS])
    labels: dict[str, set[str]] = {}
    for key, positions in covered.items():
        for position in positions:
            labels.setdefault(words[position], set()).add(key)
            if position + 1 in positions:  # a Chinese bigram inside the concept's label
                labels.setdefault(words[position] + words[position + 1], set()).add(key)
    return [frozenset(labels.get(term.label, ())) for term in terms]


def _within(index: FacetIndex, center: str | None, published_after: datetime | None) -> int | None:
    within = None
    if center is not None:
        within = index.bits["centers"].get(center, 0)
    if published_after is not None:
        recent = index.published_since(published_after.timestamp())
        within = recent if within is None else within & recent
    return within


def _load_listings(session: Session, ids: list[int], with_topics: bool) -> list[Listing]:
    if not ids:
        return []
    # What a card shows: the listings with their institution and center (the center without its
    # descriptions, a large JSON value), then their texts in a second query: joined to the
    # listings, every text repeated the listing's JSON columns, a dozen to decode per row
    # (6.9 against 4.3 ms for 20 listings at 100,000 on PostgreSQL).
    options = [selectinload(Listing.translations), joinedload(Listing.institution),
               joinedload(Listing.center).load_only(Center.id, Center.slug, Center.names)]
    if with_topics:
        options.append(selectinload(Listing.topics))
    loaded = session.scalars(select(Listing).where(Listing.id.in_(ids)).options(*options)).unique().all()
    by_id = {listing.id: listing for listing in loaded}
    return [by_id[i] for i in ids if i in by_id]
