"""Keeping the search documents right, and asking the database's index for candidates.

The database does only set lookups ("which listings have this token in this field", through
FTS5 on SQLite and GIN-indexed tsvectors on PostgreSQL); the ranking is pure Python
(``portal.search.ranking``), so both databases return the same ids with the same scores.

Every listing is indexed whatever its status: visibility (published, not expired) is checked
against ``listings`` at query time, so withdrawal or expiry needs no reindexing, while any
change of text, translations, keywords, topics or center does (``index_listing``).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import (ColumnElement, Integer, Select, any_, bindparam, cast, column, delete, func,
                        insert, literal, literal_column, select, table, union_all, update)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY, TSVECTOR
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.database import utcnow
from portal.listings.models import Listing, ListingStatus, listing_topics
from portal.search.analyzer import join_tokens, texts_tokens
from portal.search.models import (FTS_TABLE, SEARCH_DOCUMENTS_TABLE, TOKEN_COLUMNS,
                                  TSVECTOR_COLUMNS, SearchDocument)
from portal.search.query import Alternative, QueryTerm, parse_query
from portal.search.ranking import (FIELDS, SearchResult, TermMatches, documents_with_term,
                                   matching_documents, order_by_relevance, score_documents)

_ID_CHUNK = 500  # ids per IN (…) list: well under SQLite's bound-parameter limit

# --- Building and storing documents -------------------------------------------------------


def document_tokens(listing: Listing) -> dict[str, str]:
    """Token columns for a listing: every language version, keywords, and the labels of its
    topics and center in every language (so an English label finds a Russian listing)."""
    versions = listing.translations
    titles = [(version.language, version.title) for version in versions]
    bodies = [(version.language, version.summary) for version in versions]
    bodies += [(version.language, version.description) for version in versions]
    bodies += [(None, keyword) for keyword in listing.keywords or []]  # language unknown
    labelled = [*listing.topics, *([listing.center] if listing.center else [])]
    labels = [(language, name) for item in labelled for language, name in item.names.items()]
    return {
        TOKEN_COLUMNS["title"]: join_tokens(texts_tokens(titles)),
        TOKEN_COLUMNS["body"]: join_tokens(texts_tokens(bodies)),
        TOKEN_COLUMNS["taxonomy"]: join_tokens(texts_tokens(labels)),
    }


def index_listing(session: Session, listing: Listing) -> None:
    """(Re)index a listing from its in-session state; call after any change to its text,
    translations, keywords, topics or center. Writes only when the tokens changed."""
    if listing.id is None:
        session.flush()
    values = document_tokens(listing)
    columns = [getattr(SearchDocument, name) for name in values]
    stored = session.execute(
        select(*columns).where(SearchDocument.listing_id == listing.id)).one_or_none()
    if stored is None:
        session.execute(insert(SearchDocument).values(listing_id=listing.id, **values,
                                                      updated_at=utcnow()))
    elif tuple(stored) != tuple(values.values()):
        session.execute(update(SearchDocument).where(SearchDocument.listing_id == listing.id)
                        .values(**values, updated_at=utcnow()))


def remove_listing(session: Session, listing_id: int) -> None:
    """Drop a listing from the index (deleting the listing does this by itself: CASCADE)."""
    session.execute(delete(SearchDocument).where(SearchDocument.listing_id == listing_id)
                    .execution_options(synchronize_session=False))


def reindex_listing(session: Session, listing_id: int) -> None:
    """Index the listing as stored now, or remove it from the index if it is gone."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        remove_listing(session, listing_id)
    else:
        index_listing(session, listing)


def reindex_taxonomy(session: Session, *, topic_id: int | None = None,
                     center_id: int | None = None) -> int:
    """Reindex the listings labelled by a topic or center whose names changed; returns how many."""
    ids: set[int] = set()
    if topic_id is not None:
        ids |= set(session.scalars(select(listing_topics.c.listing_id)
                                   .where(listing_topics.c.topic_id == topic_id)))
    if center_id is not None:
        ids |= set(session.scalars(select(Listing.id).where(Listing.center_id == center_id)))
    for chunk in _chunks(sorted(ids)):
        for listing in session.scalars(_listings_with_text().where(Listing.id.in_(chunk))):
            index_listing(session, listing)
    return len(ids)


def rebuild_index(session: Session, batch_size: int = 500) -> int:
    """Index every listing afresh (after the migration, or to repair); returns how many."""
    session.execute(delete(SearchDocument).execution_options(synchronize_session=False))
    indexed, last_id = 0, 0
    while True:
        batch = session.scalars(_listings_with_text().where(Listing.id > last_id)
                                .order_by(Listing.id).limit(batch_size)).all()
        if not batch:
            return indexed
        now = utcnow()
        session.execute(insert(SearchDocument), [
            {"listing_id": listing.id, **document_tokens(listing), "updated_at": now}
            for listing in batch])
        indexed += len(batch)
        last_id = batch[-1].id


def _listings_with_text() -> Select[tuple[Listing]]:
    return select(Listing).options(selectinload(Listing.translations),
                                   selectinload(Listing.topics), joinedload(Listing.center))


# --- Searching -----------------------------------------------------------------------------


def search_listing_ids(session: Session, query_text: str, *,
                       now: datetime | None = None) -> SearchResult:
    """Scores of the visible listings having every query term; ``terms`` empty when the query
    has nothing to search for. Intersect ``scores`` with facet filters, then order the ids
    (``order_listing_ids``, or ``ranking.order_by_relevance`` with published dates at hand)."""
    terms = parse_query(query_text)
    labels = [term.label for term in terms]
    if not terms:
        return SearchResult(terms=[])
    with _index_scans_only(session):
        matches = _matches_of_every_term(session, terms)
    if not matches:
        return SearchResult(terms=labels)  # AND found nothing: no silent OR
    candidates = matching_documents(matches)
    visible = _visible_among(session, candidates, now or utcnow())
    # Term statistics cover the whole index, as Lucene's do; only the results are filtered.
    scores = score_documents(matches, _document_count(session))
    return SearchResult(terms=labels, scores={id_: scores[id_] for id_ in visible})


def _matches_of_every_term(session: Session, terms: Sequence[QueryTerm]) -> list[TermMatches]:
    """Per term, the documents having it in each field; empty as soon as the AND fails."""
    field_query = _sqlite_field_query if _dialect(session) == "sqlite" else _postgresql_field_query
    matches: list[TermMatches] = []
    candidates: set[int] | None = None
    for term in terms:
        term_matches = _term_matches(session, [field_query(field, term.alternatives)
                                               for field in FIELDS])
        found = documents_with_term(term_matches)
        candidates = found if candidates is None else candidates & found
        if not candidates:
            return []
        matches.append(term_matches)
    return matches


@contextmanager
def _index_scans_only(session: Session) -> Iterator[None]:
    """On PostgreSQL, keep the planner on the GIN indexes for the candidate lookups.

    It prices ``@@`` on a sequential scan as if it were free, but each row costs detoasting a
    tsvector of a few KB: at 20,000 listings a common word took 260 ms that way against 10 ms
    through the index (measured). The setting is local to the transaction and put back.
    """
    if _dialect(session) != "postgresql":
        yield
        return
    previous = session.scalar(select(func.current_setting("enable_seqscan")))
    session.execute(select(func.set_config("enable_seqscan", "off", True)))
    try:
        yield
    finally:
        session.execute(select(func.set_config("enable_seqscan", previous, True)))


def order_listing_ids(session: Session, scores: dict[int, float],
                      listing_ids: Iterable[int] | None = None) -> list[int]:
    """``listing_ids`` (default: all scored ones) by score, then newest published, then id."""
    wanted = set(scores if listing_ids is None else listing_ids) & scores.keys()
    rows = session.execute(select(Listing.id, Listing.published_at)
                           .where(_one_of(session, Listing.id, wanted)))
    published = {listing_id: published_at for listing_id, published_at in rows}
    return order_by_relevance({listing_id: scores[listing_id] for listing_id in wanted}, published)


def _visible_among(session: Session, ids: set[int], now: datetime) -> set[int]:
    # Visibility is checked now, not indexed: expiry and withdrawal need no reindexing.
    return set(session.scalars(select(Listing.id).where(
        _one_of(session, Listing.id, ids),
        Listing.status == ListingStatus.PUBLISHED, Listing.expires_at > now)))


def _document_count(session: Session) -> int:
    # Every listing has a search document; counting listings reads a small index, while
    # counting search_documents would read all their tokens on SQLite.
    return session.scalar(select(func.count(Listing.id))) or 0


def _term_matches(session: Session, field_queries: Sequence[Select[tuple[str, int]]]) -> TermMatches:
    # One round trip per term: the three fields' lookups as one UNION ALL.
    matches: dict[str, set[int]] = {field: set() for field in FIELDS}
    for field, listing_id in session.execute(union_all(*field_queries)):
        matches[field].add(listing_id)
    return matches


def _one_of(session: Session, id_column: ColumnElement[int],
            ids: Collection[int]) -> ColumnElement[bool]:
    """``id_column IN ids`` as one bound parameter however many ids (no variable limit)."""
    if _dialect(session) == "postgresql":
        return id_column == any_(bindparam("listing_ids", sorted(ids), type_=ARRAY(Integer)))
    listed = func.json_each(bindparam("listing_ids", json.dumps(sorted(ids))))
    return id_column.in_(select(literal_column("value")).select_from(listed))


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# SQLite: the FTS5 table's rowid is the listing id (external content on search_documents).
_FTS = table(FTS_TABLE, column("rowid", Integer))


def _sqlite_field_query(field: str, alternatives: Sequence[Alternative]) -> Select[tuple[str, int]]:
    phrases = " OR ".join(_fts5_phrase(alternative) for alternative in alternatives)
    match = f"{TOKEN_COLUMNS[field]} : ({phrases})"  # our own column filter and quoted tokens
    return (select(literal(field).label("field"), _FTS.c.rowid.label("listing_id"))
            .where(literal_column(FTS_TABLE).op("MATCH")(match)))


def _fts5_phrase(alternative: Alternative) -> str:
    quoted = '"' + alternative.token.replace('"', '""') + '"'
    return quoted + " *" if alternative.prefix else quoted


# PostgreSQL: generated tsvector columns beside the token columns, each with a GIN index.
_DOCUMENTS = table(SEARCH_DOCUMENTS_TABLE, column("listing_id", Integer),
                   *(column(name, TSVECTOR) for name in TSVECTOR_COLUMNS.values()))


def _postgresql_field_query(field: str,
                            alternatives: Sequence[Alternative]) -> Select[tuple[str, int]]:
    tsquery = " | ".join(_tsquery_lexeme(alternative) for alternative in alternatives)
    vector = _DOCUMENTS.c[TSVECTOR_COLUMNS[field]]
    return (select(literal(field).label("field"), _DOCUMENTS.c.listing_id)
            .where(vector.op("@@")(cast(literal(tsquery), TSQUERY))))


def _tsquery_lexeme(alternative: Alternative) -> str:
    # Quoted lexemes are taken as they are by CAST(… AS tsquery): no parser, no stemming.
    quoted = "'" + alternative.token.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if alternative.prefix else quoted


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _ID_CHUNK):
        yield ids[start:start + _ID_CHUNK]


__all__ = ["document_tokens", "index_listing", "rebuild_index", "reindex_listing",
           "reindex_taxonomy", "remove_listing", "search_listing_ids", "order_listing_ids"]
