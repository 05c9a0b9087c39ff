"""Keeping the search documents right, and asking the database's index for candidates.

The database does only set lookups ("which listings have this token in this field", through
FTS5 on SQLite and GIN-indexed tsvectors on PostgreSQL); the ranking is pure Python
(``portal.search.ranking``), so both databases return the same ids with the same scores.

Every listing is indexed whatever its status: visibility (published, not expired) is checked
against ``listings`` at query time, so withdrawal or expiry needs no reindexing, while any
change of text, translations, keywords, topics or center does (``index_listing``), and so does
a machine translation made, redone or gone (``machine_translation.services`` announces it as a
change of its listing).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from sqlalchemy import (
    Select,
    delete,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.database import utcnow
from portal.listings.models import Listing, listing_topics
from portal.machine_translation.models import MachineTranslation
from portal.machine_translation.services import current_translations
from portal.language.analyzer import join_tokens, texts_tokens
from portal.search.models import (
    FTS_TABLE,
    SEARCH_DOCUMENTS_TABLE,
    TOKEN_COLUMNS,
    TSVECTOR_COLUMNS,
    SearchDocument,
    gin_index_name,
)
from portal.search.query import Alternative, QueryTerm
from portal.search.ranking import TEXT_FIELDS, TextMatches
from portal.search.text_postings import TextPostings
from portal.changes.log import note_changes

# --- Building and storing documents -------------------------------------------------------


def document_tokens(listing: Listing, machine: Iterable[MachineTranslation] = ()) -> dict[str, str]:
    """Token columns for a listing: every language version and its keywords, and apart from
    them its current machine translations (``machine``: made from the original as it is now,
    into a language no person wrote), which rank below what people wrote. Its topics' and
    center's labels, in every language, are matched by the facet index instead (a label names
    thousands of listings; one bitset beats as many index rows), so that column stays empty."""
    versions = listing.translations
    titles = [(version.language, version.title) for version in versions]
    bodies = [(version.language, version.summary) for version in versions]
    bodies += [(version.language, version.description) for version in versions]
    languages = listing.keyword_languages or {}
    bodies += [(languages.get(keyword), keyword) for keyword in listing.keywords or []]  # None: unknown
    machine_texts = [(row.language, text) for row in machine for text in (row.title, row.summary, row.description)]
    return {
        TOKEN_COLUMNS["title"]: join_tokens(texts_tokens(titles)),
        TOKEN_COLUMNS["body"]: join_tokens(texts_tokens(bodies)),
        TOKEN_COLUMNS["taxonomy"]: "",
        TOKEN_COLUMNS["machine"]: join_tokens(texts_tokens(machine_texts)),
    }


def index_listing(session: Session, listing: Listing) -> None:
    """(Re)index a listing from its in-session state; call after any change to its text,
    translations, keywords, topics or center. Writes only when the tokens changed."""
    if listing.id is None:
        session.flush()
    values = document_tokens(listing, current_translations(session, [listing]).get(listing.id, ()))
    columns = [getattr(SearchDocument, name) for name in values]
    stored = session.execute(
        select(*columns).where(SearchDocument.listing_id == listing.id)).one_or_none()
    if stored is None:
        session.execute(insert(SearchDocument).values(listing_id=listing.id, **values,
                                                      updated_at=utcnow()))
    elif tuple(stored) != tuple(values.values()):
        session.execute(update(SearchDocument).where(SearchDocument.listing_id == listing.id)
                        .values(**values, updated_at=utcnow()))
    note_changes(session, [listing.id])  # its status, dates or facets may have changed too


def remove_listing(session: Session, listing_id: int) -> None:
    """Drop a listing from the index (deleting the listing does this by itself: CASCADE)."""
    session.execute(delete(SearchDocument).where(SearchDocument.listing_id == listing_id)
                    .execution_options(synchronize_session=False))
    note_changes(session, [listing_id])


def reindex_listing(session: Session, listing_id: int) -> None:
    """Index the listing as stored now, or remove it from the index if it is gone."""
    listing = session.get(Listing, listing_id)
    if listing is None:
        remove_listing(session, listing_id)
    else:
        index_listing(session, listing)


def reindex_taxonomy(session: Session, *, topic_id: int | None = None,
                     center_id: int | None = None) -> int:
    """After a topic or center was renamed: its labels live in every facet index, which this
    makes rebuild. Returns how many listings carry the label."""
    ids: set[int] = set()
    if topic_id is not None:
        ids |= set(session.scalars(select(listing_topics.c.listing_id)
                                   .where(listing_topics.c.topic_id == topic_id)))
    if center_id is not None:
        ids |= set(session.scalars(select(Listing.id).where(Listing.center_id == center_id)))
    note_changes(session, None)
    return len(ids)


def rebuild_index(session: Session, batch_size: int = 500) -> int:
    """Index every listing afresh (after the migration, or to repair); returns how many."""
    session.execute(delete(SearchDocument).execution_options(synchronize_session=False))
    note_changes(session, None)
    indexed, last_id = 0, 0
    with _pending_lists(session):
        while True:
            batch = session.scalars(_listings_with_text().where(Listing.id > last_id)
                                    .order_by(Listing.id).limit(batch_size)).all()
            if not batch:
                return indexed
            indexed += _insert_documents(session, batch)
            last_id = batch[-1].id


@contextmanager
def _pending_lists(session: Session) -> Iterator[None]:
    """On PostgreSQL, a rebuild writes through the GIN indexes' pending lists, which are merged
    into the indexes in bulk, and then puts the indexes back without them (migration 0019:
    searches would scan the lists): a rebuild of 20,000 listings took 60-79 s so against 120-125 s
    with every entry written into the indexes one by one (measured in turns). The setting
    changes under a lock that neither reads nor writes wait for, inside the rebuild's transaction."""
    if _dialect(session) != "postgresql":
        yield
        return
    indexes = [gin_index_name(column) for column in TSVECTOR_COLUMNS.values()]
    for index in indexes:
        session.execute(text(f'ALTER INDEX "{index}" SET (fastupdate = on)'))
    yield
    for index in indexes:
        session.execute(text("SELECT gin_clean_pending_list(CAST(:index AS regclass))"), {"index": index})
        session.execute(text(f'ALTER INDEX "{index}" SET (fastupdate = off)'))


def index_new_listings(session: Session, listing_ids: Sequence[int], batch_size: int = 500) -> int:
    """Index listings that have no document yet, in bulk (many listings written at once, as the
    benchmarks' data). The caller records the change (``note_changes``), once for all."""
    ids, indexed = sorted(set(listing_ids)), 0
    for start in range(0, len(ids), batch_size):
        indexed += _insert_documents(session, session.scalars(
            _listings_with_text().where(Listing.id.in_(ids[start:start + batch_size]))).all())
    return indexed


def _insert_documents(session: Session, batch: Sequence[Listing]) -> int:
    now = utcnow()
    machine = current_translations(session, batch)
    session.execute(insert(SearchDocument), [
        {"listing_id": listing.id, **document_tokens(listing, machine.get(listing.id, ())), "updated_at": now}
        for listing in batch])
    return len(batch)


def _listings_with_text() -> Select[tuple[Listing]]:
    return select(Listing).options(selectinload(Listing.translations),
                                   selectinload(Listing.topics), joinedload(Listing.center))


#: More changed listings than this at once (a bulk import) drop the kept answers instead.
MAX_CORRECTED = 20_000

# --- Searching -----------------------------------------------------------------------------


def text_matches(session: Session, terms: Sequence[QueryTerm],
                 postings: TextPostings | None = None) -> list[TextMatches]:
    """Per query term, the documents (whatever their status) having it in the title, in the
    body and in the machine translations. Taxonomy labels are matched by the facet index, and
    visibility, AND and ranking are decided there too (``search.facet_index``), the same way
    on both databases. ``postings``: the common terms' answers the process keeps
    (``search.text_postings``; PostgreSQL only, where a common term costs most)."""
    if not terms:
        return []
    with _driver_cursor(session) as cursor:
        if _dialect(session) != "postgresql":
            return [(term.alternatives, _sqlite_matches(cursor, term.alternatives)) for term in terms]
        if postings is None:
            return list(zip((term.alternatives for term in terms), _postgresql_matches(cursor, terms), strict=True))
        known = {term.alternatives: postings.get(term.alternatives) for term in terms}
        asking = [term for term in terms if known[term.alternatives] is None]
        if asking:
            epoch = postings.epoch
            for term, answer in zip(asking, _postgresql_matches(cursor, asking), strict=True):
                known[term.alternatives] = answer
                postings.keep(term.alternatives, answer, epoch)
        return [(term.alternatives, known[term.alternatives]) for term in terms]


def correct_postings(session: Session, postings: TextPostings, changed: Sequence[int]) -> None:
    """Bring the kept answers up to date with listings changed since (their stored tokens)."""
    if not postings.begin_correction():
        return
    if len(changed) > MAX_CORRECTED:
        postings.clear()
        return
    columns = {field: getattr(SearchDocument, TOKEN_COLUMNS[field]) for field in TEXT_FIELDS}
    tokens: dict[int, dict[str, frozenset[str]]] = {}
    for start in range(0, len(changed), 1000):
        for listing_id, *values in session.execute(
                select(SearchDocument.listing_id, *columns.values())
                .where(SearchDocument.listing_id.in_(changed[start:start + 1000]))):
            tokens[listing_id] = {field: frozenset(filter(None, (value or "").split(" "))) for field, value in zip(columns, values)}
    postings.correct(changed, tokens)


@contextmanager
def _driver_cursor(session: Session) -> Iterator[Any]:
    """The driver's own cursor on the session's connection: a common word returns some
    10,000 ids per field, and rows through SQLAlchemy's results cost more than the index
    lookup itself (measured at 100,000 listings: 18 ms against 5 ms on SQLite).

    On PostgreSQL it also keeps the planner on the GIN indexes: it prices ``@@`` on a
    sequential scan as if it were free, but each row costs detoasting a tsvector of a few
    KB (at 20,000 listings a common word took 260 ms that way against 10 ms through the
    index, measured). It also keeps JIT compilation off: the statement of several terms' lookups
    costs over ``jit_above_cost`` though it runs in a few ms, and compiling it took 27 ms of 36
    (three words at a million listings, EXPLAIN ANALYZE). The settings are local to the
    transaction and put back."""
    cursor = session.connection().connection.dbapi_connection.cursor()
    postgresql = _dialect(session) == "postgresql"
    try:
        if postgresql:
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL jit = off")
        yield cursor
    finally:
        if postgresql:
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL jit TO DEFAULT")
        cursor.close()


def _sqlite_matches(cursor: Any, alternatives: Sequence[Alternative]) -> dict[str, np.ndarray]:
    """The documents having the term in each text field (title, body, machine text)."""
    matches: dict[str, np.ndarray] = {}
    for field in TEXT_FIELDS:
        cursor.execute(_SQLITE_FIELD_SQL, (_fts5_match(field, alternatives),))
        rows = cursor.fetchall()
        matches[field] = np.fromiter((row[0] for row in rows), np.int64, len(rows))
    return matches


def _postgresql_matches(cursor: Any, terms: Sequence[QueryTerm]) -> list[dict[str, np.ndarray]]:
    """Per term, the documents having it in each text field, as arrays of ids: one statement
    for every term and field, each field's ids packed into one value (4 bytes an id), as a
    common word's 100,000 rows at a million listings cost more as rows through the driver
    than the index lookup."""
    lookups = [(field, _tsquery(term.alternatives)) for term in terms for field in TEXT_FIELDS]
    cursor.execute("SELECT " + ", ".join(f"({_POSTGRESQL_FIELD_SQL[field]})" for field, _query in lookups),
                   [query for _field, query in lookups])
    packed = iter(cursor.fetchone())
    return [{field: np.frombuffer(next(packed) or b"", dtype=">i4").astype(np.int64) for field in TEXT_FIELDS}
            for _term in terms]


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# SQLite: the FTS5 table's rowid is the listing id (external content on search_documents).
_SQLITE_FIELD_SQL = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"


def _fts5_match(field: str, alternatives: Sequence[Alternative]) -> str:
    phrases = " OR ".join(_fts5_phrase(alternative) for alternative in alternatives)
    return f"{TOKEN_COLUMNS[field]} : ({phrases})"  # our own column filter and quoted tokens


def _fts5_phrase(alternative: Alternative) -> str:
    quoted = '"' + alternative.token.replace('"', '""') + '"'
    return quoted + " *" if alternative.prefix else quoted


# PostgreSQL: generated tsvector columns beside the token columns, each with a GIN index.
_POSTGRESQL_FIELD_SQL = {
    field: f"SELECT string_agg(int4send(listing_id), ''::bytea) FROM {SEARCH_DOCUMENTS_TABLE} "
           f"WHERE {column} @@ CAST(%s AS tsquery)"
    for field, column in TSVECTOR_COLUMNS.items()}


def _tsquery(alternatives: Sequence[Alternative]) -> str:
    return " | ".join(_tsquery_lexeme(alternative) for alternative in alternatives)


def _tsquery_lexeme(alternative: Alternative) -> str:
    # Quoted lexemes are taken as they are by CAST(… AS tsquery): no parser, no stemming.
    quoted = "'" + alternative.token.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + ":*" if alternative.prefix else quoted


__all__ = ["correct_postings", "document_tokens", "index_listing", "note_changes", "rebuild_index", "reindex_listing",
           "reindex_taxonomy", "remove_listing", "text_matches"]
