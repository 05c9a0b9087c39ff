"""Loading the thesaurus, annotating listings, and the author's corrections.

A listing's automatic subjects are recomputed whenever its text changes (``annotate_listing``,
after every change, see ``portal.changes``); what the author chose survives that: an added subject stays,
a removed automatic one is kept as *rejected* so the annotator does not bring it back.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from sys import intern

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, selectinload

from portal.database import utcnow
from portal.listings.models import Listing
from portal.changes.log import database_key, note_changes
from portal.paths import data_dir
from portal.subjects.models import AnnotationSource, ConceptRow, ListingConcept
from portal.thesaurus.annotator import Annotation, Annotator, Body
from portal.thesaurus.concepts import Concept, Thesaurus
from portal.thesaurus.skos import read_skos

SHIPPED_THESAURUS = data_dir("seed") / "thesaurus.ttl"


# --- The thesaurus in the database ----------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    added: int
    updated: int
    removed: int


def load_concepts(session: Session, concepts: Sequence[Concept], *, replace: bool = False) -> LoadResult:
    """Upsert concepts by key; ``replace`` also deletes those not among them (with their
    annotations). Every process's search and matching indexes rebuild afterwards."""
    existing = {row.key: row for row in session.scalars(select(ConceptRow))}
    added = updated = removed = 0
    now = utcnow()
    for concept in concepts:
        values = {"uri": concept.uri, "labels": _labels_of(concept), "broader": list(concept.broader),
                  "related": list(concept.related), "topics": list(concept.topics)}
        row = existing.get(concept.key)
        if row is None:
            session.add(ConceptRow(key=concept.key, updated_at=now, **values))
            added += 1
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = now
            updated += 1
    if replace:
        keep = {concept.key for concept in concepts}
        for key, row in existing.items():
            if key not in keep:
                session.delete(row)
                removed += 1
    session.flush()
    if added or updated or removed:
        note_changes(session, None)
    return LoadResult(added, updated, removed)


def load_file(session: Session, path: str | Path, *, replace: bool = False) -> LoadResult:
    return load_concepts(session, read_skos(path), replace=replace)


def _labels_of(concept: Concept) -> dict[str, dict]:
    labels: dict[str, dict] = {}
    for language, label in concept.pref.items():
        labels.setdefault(language, {})["pref"] = label
    for language, alternatives in concept.alt.items():
        labels.setdefault(language, {})["alt"] = list(alternatives)
    return labels


def concept_of(row: ConceptRow) -> Concept:
    labels = row.labels or {}
    return Concept(
        key=row.key, uri=row.uri,
        pref={language: value["pref"] for language, value in labels.items() if value.get("pref")},
        alt={language: tuple(value["alt"]) for language, value in labels.items() if value.get("alt")},
        broader=tuple(row.broader or ()), related=tuple(row.related or ()), topics=tuple(row.topics or ()))


class _Loaded:
    """The thesaurus and its annotator of one database in this process, rebuilt when a load
    changed the concepts (checked by one aggregate over the concepts table)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._cache: dict[str, tuple[tuple, Thesaurus, Annotator]] = {}

    def get(self, session: Session) -> tuple[Thesaurus, Annotator]:
        version = tuple(session.execute(select(func.count(ConceptRow.id), func.max(ConceptRow.updated_at))).one())
        key = database_key(session)
        with self.lock:
            cached = self._cache.get(key)
            if cached is not None and cached[0] == version:
                return cached[1], cached[2]
        thesaurus = Thesaurus(concept_of(row) for row in session.scalars(select(ConceptRow)))
        annotator = Annotator(thesaurus)
        with self.lock:
            self._cache[key] = (version, thesaurus, annotator)
        return thesaurus, annotator

    def forget(self) -> None:
        with self.lock:
            self._cache.clear()


_loaded = _Loaded()
forget_thesaurus = _loaded.forget


def current_thesaurus_and_annotator(session: Session) -> tuple[Thesaurus, Annotator]:
    return _loaded.get(session)


def current_thesaurus(session: Session) -> Thesaurus:
    return _loaded.get(session)[0]


def current_annotator(session: Session) -> Annotator:
    return _loaded.get(session)[1]


# --- Annotating listings ------------------------------------------------------------------


def listing_texts(listing: Listing) -> list[tuple[str | None, str] | Body]:
    """What the annotator reads: every language version's title, summary and description (a
    ``Body``) in its language, and each keyword on its own (in its language when known, else in
    all)."""
    texts: list[tuple[str | None, str] | Body] = [
        (version.language, text) for version in listing.translations for text in (version.title, version.summary) if text]
    texts += [Body(version.language, version.description) for version in listing.translations if version.description]
    languages = listing.keyword_languages or {}
    return texts + [(languages.get(keyword), keyword) for keyword in listing.keywords or [] if keyword]


def annotate_listing(session: Session, listing: Listing, annotator: Annotator | None = None) -> None:
    """Recompute the listing's automatic subjects from its texts, keeping the author's choices."""
    annotator = annotator or current_annotator(session)
    if not annotator.thesaurus:
        return
    annotation = annotator.annotate(listing_texts(listing))
    _store(session, listing.id, annotation, _concept_ids(session, annotation.counts))


def _concept_ids(session: Session, keys: Iterable[str]) -> dict[str, int]:
    keys = list(keys)
    if not keys:
        return {}
    return dict(session.execute(select(ConceptRow.key, ConceptRow.id).where(ConceptRow.key.in_(keys))).all())


def _store(session: Session, listing_id: int, annotation: Annotation, ids: dict[str, int]) -> None:
    rows = {row.concept_id: row for row in session.scalars(
        select(ListingConcept).where(ListingConcept.listing_id == listing_id))}
    found = {ids[key]: key for key in annotation.counts if key in ids}
    for concept_id, row in rows.items():
        if row.source == AnnotationSource.AUTOMATIC and not row.rejected and concept_id not in found:
            session.delete(row)
    for concept_id, key in found.items():
        row = rows.get(concept_id)
        if row is None:
            row = ListingConcept(listing_id=listing_id, concept_id=concept_id,
                                 source=AnnotationSource.AUTOMATIC, rejected=False)
            session.add(row)
        row.mentions = annotation.counts[key]
        row.prominent = key in annotation.prominent
        row.forms = list(annotation.forms.get(key, ()))
    session.flush()


def annotate_all(session: Session, *, batch_size: int = 1000) -> int:
    """Every listing's automatic subjects afresh (after loading a thesaurus); returns how many.
    Written in bulk per batch: the author's choices (added, rejected) stay as they are."""
    done, last_id = 0, 0
    while True:
        batch = session.scalars(select(Listing).where(Listing.id > last_id).order_by(Listing.id)
                                .limit(batch_size).options(selectinload(Listing.translations))).all()
        if not batch:
            break
        done += _annotate_batch(session, batch)
        last_id = batch[-1].id
        session.expunge_all()
    note_changes(session, None)
    return done


def annotate_listings(session: Session, listing_ids: Sequence[int], *, batch_size: int = 1000) -> int:
    """These listings' automatic subjects afresh, in bulk, as ``annotate_all`` makes them. The
    caller records the change (``note_changes``): once for all, when it annotates many."""
    ids, done = sorted(set(listing_ids)), 0
    for start in range(0, len(ids), batch_size):
        done += _annotate_batch(session, session.scalars(
            select(Listing).where(Listing.id.in_(ids[start:start + batch_size]))
            .options(selectinload(Listing.translations))).all())
    return done


def _annotate_batch(session: Session, batch: Sequence[Listing]) -> int:
    annotator = current_annotator(session)
    annotations = [(listing.id, annotator.annotate(listing_texts(listing))) for listing in batch]
    concept_ids = _concept_ids(session, {key for _, annotation in annotations for key in annotation.counts})
    ids = [listing.id for listing in batch]
    chosen = {(listing_id, concept_id) for listing_id, concept_id in session.execute(
        select(ListingConcept.listing_id, ListingConcept.concept_id).where(
            ListingConcept.listing_id.in_(ids),
            (ListingConcept.source == AnnotationSource.AUTHOR) | ListingConcept.rejected))}
    session.execute(delete(ListingConcept).where(
        ListingConcept.listing_id.in_(ids), ListingConcept.source == AnnotationSource.AUTOMATIC,
        ListingConcept.rejected.is_(False)).execution_options(synchronize_session=False))
    rows = []
    for listing_id, annotation in annotations:
        for key, count in annotation.counts.items():
            concept_id = concept_ids.get(key)
            if concept_id is not None and (listing_id, concept_id) not in chosen:
                rows.append({"listing_id": listing_id, "concept_id": concept_id, "mentions": count,
                             "prominent": key in annotation.prominent,
                             "source": AnnotationSource.AUTOMATIC, "rejected": False,
                             "forms": list(annotation.forms.get(key, ()))})
    if rows:
        session.execute(insert(ListingConcept), rows)
    return len(batch)


# --- What a listing is about, and the author's corrections --------------------------------


@dataclass(frozen=True)
class Subject:
    key: str
    label: str  # in the reader's language (else English)
    source: AnnotationSource
    form: str  # as the listing's text wrote it ("" when the author added it)


def subjects_of(session: Session, listing_id: int, language: str) -> list[Subject]:
    """The listing's subjects (not the rejected ones), most mentioned first."""
    rows = session.scalars(select(ListingConcept).where(ListingConcept.listing_id == listing_id,
                                                        ListingConcept.rejected.is_(False))
                           .order_by(ListingConcept.mentions.desc(), ListingConcept.concept_id)).all()
    return [_subject(row, language) for row in rows]


def subjects_of_many(session: Session, listing_ids: Sequence[int], language: str,
                     limit: int = 4) -> dict[int, list[Subject]]:
    """Each listing's first ``limit`` subjects, in one query of plain rows (result cards): the
    database keeps only the first ``limit`` of each listing and reads just the labels shown
    (loading each concept's whole labels took a search page 28 ms at 100,000 listings)."""
    if not listing_ids:
        return {}
    ranked = (select(ListingConcept.listing_id, ListingConcept.concept_id, ListingConcept.source,
                     ListingConcept.forms[0].as_string().label("form"),
                     func.row_number().over(partition_by=ListingConcept.listing_id,
                                            order_by=(ListingConcept.mentions.desc(), ListingConcept.concept_id))
                     .label("rank"))
              .where(ListingConcept.listing_id.in_(list(listing_ids)), ListingConcept.rejected.is_(False))
              .subquery())
    rows = session.execute(
        select(ranked.c.listing_id, ranked.c.source, ranked.c.form, ConceptRow.key,
               ConceptRow.labels[(language, "pref")].as_string(), ConceptRow.labels[("en", "pref")].as_string())
        .join(ConceptRow, ConceptRow.id == ranked.c.concept_id)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.listing_id, ranked.c.rank))
    found: dict[int, list[Subject]] = {}
    for listing_id, source, form, key, label, english in rows:
        found.setdefault(listing_id, []).append(Subject(key, label or english or key, source, form or ""))
    return found


def _subject(row: ListingConcept, language: str) -> Subject:
    concept = concept_of(row.concept)
    return Subject(concept.key, concept.label(language), row.source, (row.forms or [""])[0])


def correct_subjects(session: Session, listing: Listing, *, removed: Iterable[str] = (),
                     added: Iterable[str] = ()) -> None:
    """The author's corrections: ``removed`` subjects leave the listing (an automatic one stays
    rejected), ``added`` ones join it as the author's. Unknown keys are ignored."""
    removed, added = set(removed), set(added)
    ids = _concept_ids(session, removed | added)
    rows = {row.concept_id: row for row in session.scalars(
        select(ListingConcept).where(ListingConcept.listing_id == listing.id))}
    for key in removed - added:
        row = rows.get(ids.get(key, -1))
        if row is None:
            continue
        if row.source == AnnotationSource.AUTHOR:
            session.delete(row)
        else:
            row.rejected = True
    for key in added:
        if key not in ids:
            continue
        row = rows.get(ids[key])
        if row is None:
            session.add(ListingConcept(listing_id=listing.id, concept_id=ids[key],
                                       source=AnnotationSource.AUTHOR, rejected=False, mentions=0, forms=[]))
        else:
            row.rejected = False
    session.flush()
    note_changes(session, [listing.id])


def listing_concept_keys(session: Session, listing_ids: Sequence[int] | None = None, *,
                         between: tuple[int, int] | None = None) -> dict[int, dict[str, int]]:
    """listing id -> {concept key: mentions (at least 1)} of the non-rejected subjects (for the
    matching index): of every listing, of ``listing_ids``, or of the listings with ids
    ``between`` two (inclusive; a range costs the database less than a thousand ids)."""
    found: dict[int, dict[str, int]] = {}
    for listing_id, key, mentions, by_author, _prominent in _subject_rows(session, listing_ids, between):
        # One string per concept, not per row: the indexes keep these keys for every listing
        # (some 20 million at a million listings).
        found.setdefault(listing_id, {})[intern(key)] = max(mentions or 0, 2 if by_author else 1)
    return found


def listing_subject_keys(session: Session, listing_ids: Sequence[int]) -> dict[int, tuple[list[str], list[str]]]:
    """listing id -> (its non-rejected subjects' keys, those of them that are prominent), for
    the facet index."""
    found: dict[int, tuple[list[str], list[str]]] = {}
    for listing_id, key, _mentions, by_author, prominent in _subject_rows(session, listing_ids, None):
        keys, prominent_keys = found.setdefault(listing_id, ([], []))
        keys.append(intern(key))
        if prominent or by_author:
            prominent_keys.append(intern(key))
    return found


def _subject_rows(session: Session, listing_ids: Sequence[int] | None, between: tuple[int, int] | None
                  ) -> Iterator[tuple[int, str, int, bool, bool]]:
    # Plain rows through the connection (no ORM loading): the matching build reads a million.
    query = (select(ListingConcept.listing_id, ConceptRow.key, ListingConcept.mentions,
                    (ListingConcept.source == AnnotationSource.AUTHOR).label("by_author"), ListingConcept.prominent)
             .join(ConceptRow, ConceptRow.id == ListingConcept.concept_id)
             .where(ListingConcept.rejected.is_(False)))
    if between is not None:
        scopes = [query.where(ListingConcept.listing_id.between(*between))]
    elif listing_ids is None:
        scopes = [query]
    else:
        ids = list(listing_ids)
        scopes = [query.where(ListingConcept.listing_id.in_(ids[i:i + 1000])) for i in range(0, len(ids), 1000)]
    session.flush()  # the connection does not autoflush
    connection = session.connection()
    for scoped in scopes:
        yield from connection.execute(scoped).all()
