"""Suggested partners kept in the database: computed when a listing is published (or edited,
renewed, restored), dropped when it leaves the public, read by pages without any computing.

Only the worker computes suggestions (``matching.follow``); pages only read them
(``suggested_partners``). The engine's index of every public listing is built once in the
worker's process and kept in step with the database through the change log of
``portal.changes`` (as the facet index is), so a publication costs one ``on_publish`` (about
60 ms at 100,000 listings), not a rebuild."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Text, cast, delete, insert, or_, select, tuple_, update
from sqlalchemy.orm import Session, object_session, selectinload

from portal.database import utcnow
from portal.institutions.models import Institution
from portal.listings.models import Listing, ListingStatus, ListingTranslation, listing_topics
from portal.machine_translation.models import MachineTranslation
from portal.machine_translation.services import current_translations, text_hash
from portal.matching.concepts import TopicLexicon
from portal.matching.engine import Suggestion, on_publish, suggest
from portal.matching.index import MatchIndex
from portal.matching.models import ListingMatch, MatchText
from portal.matching.profile import ListingProfile, TextAnalysis, analyse_texts, build_profile
from portal.changes.following import FollowingIndexes
from portal.subjects.services import current_thesaurus, listing_concept_keys
from portal.thesaurus.concepts import Thesaurus
from portal.taxonomy.models import Center, Topic

LIMIT = 10
# A suggestion this good is worth telling the listing's institution about (about the best
# third of the seeded suggestions; the first suggestion of a listing averages 0.5).
STRONG_MATCH = 0.35


def profile_of(listing: Listing, lexicon: TopicLexicon, thesaurus: Thesaurus | None = None,
               subjects: dict[str, int] | None = None,
               machine: Sequence[MachineTranslation] | None = None) -> ListingProfile:
    """``subjects``: the listing's concepts as stored; ``machine``: its current machine
    translations, which weigh less than its own texts (both read here when not given)."""
    if subjects is None:
        subjects = listing_concept_keys(object_session(listing), [listing.id]).get(listing.id, {})
    if machine is None:
        machine = current_translations(object_session(listing), [listing]).get(listing.id, [])
    return build_profile(
        id=listing.id, institution_id=listing.institution_id, country=listing.institution.country,
        center=listing.center.slug, kind=listing.kind.value, direction=listing.direction.value,
        topics=[topic.slug for topic in listing.topics],
        texts=[(t.language, text) for t in listing.translations for text in (t.title, t.summary, t.description)
               if text],
        machine_texts=[(row.language, text) for row in machine for text in (row.title, row.summary, row.description)
                       if text],
        keywords=[(listing.keyword_languages.get(keyword) if listing.keyword_languages else None, keyword)
                  for keyword in listing.keywords],
        lexicon=lexicon,
        target_countries=listing.target_countries, working_languages=listing.working_languages,
        languages=listing.languages, trl=listing.trl, starts_on=listing.starts_on, ends_on=listing.ends_on,
        published_at=listing.published_at, expires_at=listing.expires_at,
        subjects=subjects, thesaurus=thesaurus)


BATCH = 1000
#: Part of a stored analysis's version: raise it whenever ``portal.matching.text`` or
#: ``analyse_texts`` would make other tokens or counts of the same texts.
ANALYZER_VERSION = 1


def analysis_version(lexicon: TopicLexicon) -> str:
    """The version stored analyses must have to be read: this analyzer, these topic names."""
    return f"{ANALYZER_VERSION}:{lexicon.fingerprint}"


# The JSON lists come as their text: a few hundred distinct lists among 100,000 listings, each
# parsed once (``_json_list``).
_PROFILE_COLUMNS = (Listing.id, Listing.institution_id, Institution.country, Center.slug, Listing.kind,
                    Listing.direction, cast(Listing.target_countries, Text),
                    cast(Listing.working_languages, Text), Listing.trl,
                    Listing.starts_on, Listing.ends_on, Listing.published_at, Listing.expires_at)


@lru_cache(maxsize=4096)
def _json_list(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text)) if text else ()


def _analyse(session: Session, chunk_ids: list[int],
             lexicon: TopicLexicon) -> dict[int, tuple[list[str], TextAnalysis]]:
    """listing id -> (its versions' languages, the analysis of its texts) for these listings,
    read from their texts, keywords and current machine translations: what ``profile_of``
    reads, as plain rows."""
    session.flush()  # plain rows come through the connection, which does not flush
    connection = session.connection()
    listings = {listing_id: (keywords, keyword_languages, original) for listing_id, keywords, keyword_languages, original
                in connection.execute(select(Listing.id, Listing.keywords, Listing.keyword_languages,
                                             Listing.original_language).where(Listing.id.in_(chunk_ids)))}
    texts: dict[int, list[tuple[str, str]]] = {}
    languages: dict[int, list[str]] = {}
    originals: dict[int, str] = {}  # listing -> the hash of its original, as machine texts record it
    for listing_id, language, *fields in session.execute(
            select(ListingTranslation.listing_id, ListingTranslation.language, ListingTranslation.title,
                   ListingTranslation.summary, ListingTranslation.description)
            .where(ListingTranslation.listing_id.in_(chunk_ids))
            .order_by(ListingTranslation.listing_id, ListingTranslation.id)):
        languages.setdefault(listing_id, []).append(language)
        texts.setdefault(listing_id, []).extend((language, text) for text in fields if text)
        if language == listings[listing_id][2]:
            originals[listing_id] = text_hash(language, *fields)
    machine: dict[int, list[tuple[str, str]]] = {}
    for listing_id, language, source, *fields in session.execute(
            select(MachineTranslation.listing_id, MachineTranslation.language, MachineTranslation.source_hash,
                   MachineTranslation.title, MachineTranslation.summary, MachineTranslation.description)
            .where(MachineTranslation.listing_id.in_(chunk_ids), MachineTranslation.translated_at.is_not(None))
            .order_by(MachineTranslation.listing_id, MachineTranslation.id)):
        # current only: from the original as it is now, in a language no person has written
        if source == originals.get(listing_id) and language not in languages.get(listing_id, ()):
            machine.setdefault(listing_id, []).extend((language, text) for text in fields if text)
    return {listing_id: (languages.get(listing_id, []), analyse_texts(
        texts=texts.get(listing_id, ()), machine_texts=machine.get(listing_id, ()), lexicon=lexicon,
        keywords=[((keyword_languages or {}).get(keyword), keyword) for keyword in keywords or ()]))
        for listing_id, (keywords, keyword_languages, _original) in listings.items()}


def _stored_analyses(session: Session, ids: list[int], version: str, *,
                     between: bool = False) -> dict[int, tuple[list[str], TextAnalysis]]:
    """The stored analyses of these listings (``between``: of every listing from the first id
    to the last, which the database finds faster than a thousand ids)."""
    session.flush()
    scope = MatchText.listing_id.between(ids[0], ids[-1]) if between else MatchText.listing_id.in_(ids)
    return {listing_id: (languages.split(), TextAnalysis.decode(keys, counts, mentions))
            for listing_id, languages, keys, counts, mentions in session.connection().execute(
                select(MatchText.listing_id, MatchText.languages, MatchText.token_keys, MatchText.counts,
                       MatchText.mentions).where(scope, MatchText.version == version)).all()}


def _write_analyses(session: Session, analyses: dict[int, tuple[list[str], TextAnalysis]], version: str) -> None:
    if not analyses:
        return
    session.execute(delete(MatchText).where(MatchText.listing_id.in_(list(analyses))))
    now = utcnow()
    rows = []
    for listing_id, (languages, analysis) in analyses.items():
        keys, counts, mentions = analysis.encode()
        rows.append({"listing_id": listing_id, "version": version, "languages": " ".join(languages),
                     "token_keys": keys, "counts": counts, "mentions": mentions, "updated_at": now})
    session.execute(insert(MatchText), rows)


def store_analyses(session: Session, listing_ids: Iterable[int]) -> int:
    """Analyse these listings' texts afresh and store the analyses (after their texts changed:
    see ``events``). Returns how many; the rows of listings that are gone are dropped."""
    lexicon = _lexicon(session)
    version = analysis_version(lexicon)
    done, wanted = 0, sorted(set(listing_ids))
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start:start + BATCH]
        made = _analyse(session, chunk, lexicon)
        _write_analyses(session, made, version)
        session.execute(delete(MatchText).where(MatchText.listing_id.in_(set(chunk) - set(made))))
        done += len(made)
    return done


def store_all_analyses(session: Session) -> int:
    """Every listing's analysis afresh (``flask listings match``, ``flask seed``: after an
    upgrade, or where a change's receiver failed)."""
    return store_analyses(session, session.scalars(select(Listing.id)).all())


def _public_profiles(session: Session, now: datetime, lexicon: TopicLexicon,
                     ids: list[int] | None = None, *, stored: bool = True) -> Iterator[ListingProfile]:
    """Profiles of the public listings (all, or among ``ids``), by increasing id, read as plain
    rows (no ORM objects) ``BATCH`` listings at a time. Each profile is the one ``profile_of``
    gives for the listing. The texts' analyses are read as stored (``match_texts``) unless
    ``stored`` is false; those missing, or of another version, are made from the texts. Never
    written here: the worker's transaction would hold their rows' locks, and a request changing
    the listing (which stores its analysis) would wait for the worker's pass to end."""
    public = (select(*_PROFILE_COLUMNS).join(Institution, Institution.id == Listing.institution_id)
              .join(Center, Center.id == Listing.center_id)
              .where(Listing.status == ListingStatus.PUBLISHED, Listing.expires_at > now)
              .order_by(Listing.id).limit(BATCH))
    session.flush()
    connection = session.connection()  # plain rows, no ORM loading (nor autoflush)
    thesaurus = current_thesaurus(session)
    version = analysis_version(lexicon)
    wanted = None if ids is None else sorted(set(ids))
    last = 0
    while True:
        if wanted is None:
            rows = connection.execute(public.where(Listing.id > last)).all()
        else:
            chunk, wanted = wanted[:BATCH], wanted[BATCH:]
            rows = connection.execute(public.where(Listing.id.in_(chunk))).all() if chunk else []
        if not rows:
            if wanted:
                continue
            return
        last = rows[-1][0]
        chunk_ids = [row[0] for row in rows]
        # All public listings: a batch is a range of ids (the few others in it are read for nothing).
        ranged = wanted is None
        analyses = _stored_analyses(session, chunk_ids, version, between=ranged) if stored else {}
        missing = [listing_id for listing_id in chunk_ids if listing_id not in analyses]
        if missing:
            analyses.update(_analyse(session, missing, lexicon))
        topics: dict[int, list[str]] = {}
        topic_scope = (listing_topics.c.listing_id.between(chunk_ids[0], chunk_ids[-1]) if ranged
                       else listing_topics.c.listing_id.in_(chunk_ids))
        for listing_id, slug in connection.execute(
                select(listing_topics.c.listing_id, Topic.slug).join(Topic, Topic.id == listing_topics.c.topic_id)
                .where(topic_scope)).all():
            topics.setdefault(listing_id, []).append(slug)
        subjects = (listing_concept_keys(session, between=(chunk_ids[0], chunk_ids[-1])) if ranged
                    else listing_concept_keys(session, chunk_ids))
        for (listing_id, institution_id, country, center, kind, direction, target_countries, working_languages,
             trl, starts_on, ends_on, published_at, expires_at) in rows:
            languages, analysis = analyses[listing_id]
            yield build_profile(
                id=listing_id, institution_id=institution_id, country=country, center=center, kind=kind.value,
                direction=direction.value, topics=topics.get(listing_id, ()), analysis=analysis,
                target_countries=_json_list(target_countries),
                working_languages=_json_list(working_languages), languages=languages,
                trl=trl, starts_on=starts_on, ends_on=ends_on, published_at=published_at, expires_at=expires_at,
                subjects=subjects.get(listing_id, {}), thesaurus=thesaurus)


def _lexicon(session: Session) -> TopicLexicon:
    """The taxonomy's names as a lexicon; made again only when they change (it takes a second,
    and the worker asks for it at every publication)."""
    global _last_lexicon
    names = {slug: dict(names) for slug, names in session.execute(select(Topic.slug, Topic.names))}
    if _last_lexicon is None or _last_lexicon[0] != names:
        _last_lexicon = (names, TopicLexicon(names))
    return _last_lexicon[1]


_last_lexicon: tuple[dict, TopicLexicon] | None = None


def _build_index(session: Session) -> MatchIndex:
    return MatchIndex(_public_profiles(session, utcnow(), _lexicon(session)))


def _update_index(session: Session, index: MatchIndex, changed: list[int]) -> None:
    # Analysed afresh: a stored analysis may be a moment older than the change.
    public = {profile.id: profile for profile in
              _public_profiles(session, utcnow(), _lexicon(session), changed, stored=False)}
    for listing_id in changed:
        index.remove(listing_id)
        if listing_id in public:
            index.add(public[listing_id])


# This process's index of the public listings; on_publish writes to it, so use it under its lock.
_indexes: FollowingIndexes[MatchIndex] = FollowingIndexes(_build_index, _update_index)
forget_indexes = _indexes.forget


def refresh_matches(session: Session, listing: Listing, now: datetime | None = None) -> list[tuple[int, int]]:
    """Recompute ``listing``'s partners (and its place in theirs), or forget it if not public.

    Returns the strong suggestions that are new, as (listing id, partner id) pairs: what the
    listings' institutions may want to hear about."""
    now = now or utcnow()
    session.flush()
    if not listing.is_public(now):
        forget(session, listing.id)
        return []
    involving = or_(ListingMatch.listing_id == listing.id, ListingMatch.partner_id == listing.id)
    before = {tuple(row) for row in session.execute(
        select(ListingMatch.listing_id, ListingMatch.partner_id).where(involving))}
    lexicon = _lexicon(session)
    with _indexes.lock:
        update = on_publish(profile_of(listing, lexicon, current_thesaurus(session)), _indexes.get(session),
                            limit=LIMIT, now=now)
    _replace(session, listing.id, update.suggestions)
    _merge(session, update.reverse)
    after = session.execute(select(ListingMatch.listing_id, ListingMatch.partner_id)
                            .where(involving, ListingMatch.score >= STRONG_MATCH))
    return sorted(tuple(row) for row in after if tuple(row) not in before)


def forget(session: Session, listing_id: int) -> None:
    """A listing left the public (or the database): it leaves every list of suggestions."""
    session.execute(delete(ListingMatch).where(
        or_(ListingMatch.listing_id == listing_id, ListingMatch.partner_id == listing_id)))


def refresh_all(session: Session, now: datetime | None = None) -> int:
    """Every public listing's partners from scratch (nightly, or after a bulk import)."""
    now = now or utcnow()
    lexicon = _lexicon(session)
    index = MatchIndex(_public_profiles(session, now, lexicon))
    _indexes.put(session, index)
    session.execute(delete(ListingMatch))
    # The profiles again, with their tokens (the index keeps none), one batch at a time: a
    # listing's partners are those a publication gives it, text similarity included. Written
    # in bulk, a few thousand rows at a time (one ORM object a row took longer than scoring).
    rows: list[dict] = []
    for profile in _public_profiles(session, now, lexicon):
        if profile.id in index:
            rows += [_values(profile.id, suggestion, rank)
                     for rank, suggestion in enumerate(suggest(profile, index, LIMIT, now=now))]
        if len(rows) >= 5000:
            session.execute(insert(ListingMatch), rows)
            rows = []
    if rows:
        session.execute(insert(ListingMatch), rows)
    return len(index)


def _replace(session: Session, listing_id: int, suggestions: list[Suggestion]) -> None:
    session.execute(delete(ListingMatch).where(ListingMatch.listing_id == listing_id))
    for rank, suggestion in enumerate(suggestions):
        session.add(_row(listing_id, suggestion, rank))
    session.flush()


def _merge(session: Session, reverse: list[tuple[int, Suggestion]]) -> None:
    """Put the new listing into each existing listing's list where it is among the best
    (``reverse``: (listing id, the new listing as its suggestion)). A publication reaches up to
    200 lists: they are read as plain (listing, partner, score, rank) rows in one query, and
    the rows leaving, coming and changing rank are written in three statements."""
    lists: dict[int, list[tuple[int, float, int]]] = {}  # listing -> (partner, score, rank)
    partners = [listing_id for listing_id, _ in reverse]
    for start in range(0, len(partners), 1000):
        for listing_id, partner_id, score, rank in session.execute(
                select(ListingMatch.listing_id, ListingMatch.partner_id, ListingMatch.score, ListingMatch.rank)
                .where(ListingMatch.listing_id.in_(partners[start:start + 1000]))):
            lists.setdefault(listing_id, []).append((partner_id, score, rank))
    leaving, coming, ranks = [], [], []
    for listing_id, suggestion in reverse:
        rows = lists.get(listing_id, [])
        others = [row for row in rows if row[0] != suggestion.listing_id]
        if len(others) >= LIMIT and min(score for _, score, _ in others) >= suggestion.score:
            continue
        kept = sorted(others, key=lambda row: -row[1])[:LIMIT - 1]
        staying = {partner_id for partner_id, _score, _rank in kept}
        leaving += [(listing_id, row[0]) for row in rows if row[0] not in staying]
        ordered = sorted([*kept, (suggestion.listing_id, suggestion.score, None)], key=lambda row: -row[1])
        for rank, (partner_id, _, was) in enumerate(ordered):
            if was is None:
                coming.append(_values(listing_id, suggestion, rank))
            elif was != rank:
                ranks.append({"listing_id": listing_id, "partner_id": partner_id, "rank": rank})
    if leaving:
        session.execute(delete(ListingMatch).where(tuple_(ListingMatch.listing_id, ListingMatch.partner_id)
                                                   .in_(leaving)))
    if coming:
        session.execute(insert(ListingMatch), coming)
    if ranks:
        session.execute(update(ListingMatch), ranks)  # by primary key, executemany


def _row(listing_id: int, suggestion: Suggestion, rank: int) -> ListingMatch:
    return ListingMatch(**_values(listing_id, suggestion, rank))


def _values(listing_id: int, suggestion: Suggestion, rank: int) -> dict:
    return {"listing_id": listing_id, "partner_id": suggestion.listing_id, "score": suggestion.score, "rank": rank,
            "reasons": [reason.to_dict() for reason in suggestion.reasons],
            "caveats": [caveat.to_dict() for caveat in suggestion.caveats], "computed_at": utcnow()}


def suggested_partners(session: Session, listing: Listing, now: datetime | None = None) -> list[tuple[Listing, ListingMatch]]:
    """Stored suggestions whose partner is still public, best first: no computing on page views."""
    now = now or utcnow()
    rows = session.execute(
        select(Listing, ListingMatch).join(ListingMatch, ListingMatch.partner_id == Listing.id)
        .where(ListingMatch.listing_id == listing.id, Listing.status == ListingStatus.PUBLISHED,
               Listing.expires_at > now)
        .order_by(ListingMatch.score.desc())
        .options(selectinload(Listing.translations), selectinload(Listing.institution),
                 selectinload(Listing.center))).all()
    return [(partner, match) for partner, match in rows]
