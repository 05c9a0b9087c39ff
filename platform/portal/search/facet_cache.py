"""The facet index of each app process, kept in step with the database through the change
log of ``portal.changes``: a search first compares the index's token with the database's, then
re-reads only the listings changed since, or rebuilds when that cannot be known. The
database stays the only source of truth; a restart only costs one rebuild.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import String as SqlString
from sqlalchemy import func, select, type_coerce
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.institutions.models import Institution
from portal.search.facet_index import FacetIndex, ListingFacts, timestamp
from portal.search.index import correct_postings
from portal.listings.models import Listing, ListingStatus, ListingTranslation, listing_topics
from portal.language.analyzer import texts_tokens
from portal.changes.following import FollowingIndexes
from portal.subjects.services import current_thesaurus_and_annotator, listing_subject_keys
from portal.taxonomy.models import Center, Topic
from portal.thesaurus.concepts import Thesaurus

REBUILD_AFTER_APPENDED = 0.05  # share of moved listings after which a rebuild re-sorts the slots
REBUILD_AFTER_SECONDS = 6 * 3600  # heals anything changed behind the portal's back (hand-run SQL)

def current_index(session: Session) -> FacetIndex:
    return _indexes.get(session)


def current_index_and_token(session: Session) -> tuple[FacetIndex, str]:
    """The index and the change token it is at (see ``FollowingIndexes.get_with_token``)."""
    return _indexes.get_with_token(session)


def _build(session: Session) -> FacetIndex:
    thesaurus, annotator = current_thesaurus_and_annotator(session)
    return FacetIndex.build(_load(session, utcnow(), thesaurus=thesaurus), built_at=time.time(),
                            document_count=_document_count(session), labels=_labels(session),
                            thesaurus=thesaurus if len(thesaurus) else None,
                            annotator=annotator if len(thesaurus) else None)


def _update(session: Session, index: FacetIndex, changed: list[int]) -> None:
    published = {facts.id: facts for facts in _load(session, utcnow(), changed, thesaurus=index.thesaurus)}
    index.replace(changed, published, document_count=_document_count(session))
    correct_postings(session, index.text_postings, changed)


def _stale(index: FacetIndex) -> bool:
    too_many_moved = index.appended > max(1000, REBUILD_AFTER_APPENDED * max(index.live, 1))
    return too_many_moved or time.time() - index.built_at > REBUILD_AFTER_SECONDS


def _labels(session: Session) -> dict[tuple[str, str], frozenset[str]]:
    """The tokens of every topic's and center's names in all their languages."""
    labels = {}
    for facet, model in (("centers", Center), ("topics", Topic)):
        for slug, names in session.execute(select(model.slug, model.names)):
            labels[(facet, slug)] = frozenset(texts_tokens((language, name) for language, name in names.items()))
    return labels


def _document_count(session: Session) -> int:
    return session.scalar(select(func.count(Listing.id))) or 0


def _load(session: Session, now: datetime, ids: list[int] | None = None, *,
          thesaurus: Thesaurus | None = None) -> list[ListingFacts]:
    """Facts of the published, unexpired listings (all, or among ``ids``)."""
    where = [Listing.status == ListingStatus.PUBLISHED, Listing.expires_at > now]
    chunks = [None] if ids is None else [ids[start:start + 500] for start in range(0, len(ids), 500)]
    rows, topics, languages = [], {}, {}
    for chunk in chunks:
        scope = [*where, Listing.id.in_(chunk)] if chunk is not None else where
        rows += session.execute(
            select(Listing.id, Center.slug, type_coerce(Listing.kind, SqlString),
                   type_coerce(Listing.direction, SqlString), Institution.country, Listing.trl,
                   Listing.published_at, Listing.expires_at)
            .join(Center, Center.id == Listing.center_id).join(Institution, Institution.id == Listing.institution_id)
            .where(*scope)).all()
        listed = select(Listing.id).where(*scope)
        for listing_id, slug in session.execute(
                select(listing_topics.c.listing_id, Topic.slug).join(Topic, Topic.id == listing_topics.c.topic_id)
                .where(listing_topics.c.listing_id.in_(listed))):
            topics.setdefault(listing_id, []).append(slug)
        for listing_id, language in session.execute(
                select(ListingTranslation.listing_id, ListingTranslation.language)
                .where(ListingTranslation.listing_id.in_(listed))):
            languages.setdefault(listing_id, []).append(language)
    subjects = listing_subject_keys(session, [row[0] for row in rows])
    facts = []
    for listing_id, center, kind, direction, country, trl, published_at, expires_at in rows:
        keys, prominent = subjects.get(listing_id, ((), ()))
        facts.append(ListingFacts(id=listing_id, center=center, kind=kind, direction=direction, country=country,
                                  topics=tuple(sorted(topics.get(listing_id, ()))),
                                  languages=tuple(sorted(languages.get(listing_id, ()))), trl=trl,
                                  published_at=timestamp(published_at), expires_at=timestamp(expires_at),
                                  subjects=tuple(sorted(keys)),
                                  prominent=_prominent(keys, prominent, thesaurus)))
    return facts


def _prominent(subjects: Collection[str], prominent: list[str], thesaurus: Thesaurus | None) -> tuple[str, ...]:
    """The concepts a listing is prominently about, with those just above them that it also
    names (a listing about glacier monitoring whose description says "glaciers" is about
    glaciers), of the concepts having narrower ones: the only ones a search widens to
    (``FacetIndex.broader_subject_bits``)."""
    if thesaurus is None:
        return ()
    above = {*prominent, *(parent for key in prominent for parent in thesaurus.broader_of(key) if parent in subjects)}
    return tuple(sorted(key for key in above if key in thesaurus.narrower))


_indexes: FollowingIndexes[FacetIndex] = FollowingIndexes(_build, _update, _stale)
forget_indexes = _indexes.forget
