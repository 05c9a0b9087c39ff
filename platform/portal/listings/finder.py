"""Listing search with facets. The text index gives candidates and scores; filters, facet
counts and paging run as plain SQL that is the same on SQLite and PostgreSQL, and relevance
ordering is done in Python, so both databases return the same page.

Facets are disjunctive, as users of faceted search expect: values of one facet are OR-ed,
and each facet's counts ignore that facet's own selection (so choosing "Kazakhstan" still
shows how many listings "Uzbekistan" would add).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, String, any_, bindparam, func, literal_column, select, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, selectinload

from portal.database import utcnow
from portal.institutions.models import Institution
from portal.listings.models import Listing, ListingStatus, ListingTranslation, listing_topics
from portal.listings.search_params import SearchParams
from portal.search.index import search_listing_ids
from portal.search.ranking import order_by_relevance
from portal.taxonomy.models import Center, Topic

FACETS = ("centers", "kinds", "directions", "countries", "topics", "languages", "trl")
PYTHON_FACETS_UP_TO = 20_000


@dataclass
class SearchOutcome:
    params: SearchParams
    terms: list[str]
    total: int
    listings: list[Listing]
    facets: dict[str, list[tuple[str, int]]]
    ignored_query: bool = False  # the query had nothing searchable (only punctuation, say)


def find_listings(session: Session, params: SearchParams, *, now: datetime | None = None,
                  within: ColumnElement[bool] | None = None) -> SearchOutcome:
    """``within`` narrows every count and result (a center's landing page, say)."""
    now = now or utcnow()
    scores: dict[int, float] | None = None
    terms: list[str] = []
    if params.q:
        result = search_listing_ids(session, params.q, now=now)
        terms = result.terms
        if result.terms:
            scores = result.scores
    empty = SearchOutcome(params, terms, 0, [], {name: [] for name in FACETS}, ignored_query=False)
    if scores is not None and not scores:
        return empty

    base = [Listing.status == ListingStatus.PUBLISHED, Listing.expires_at > now]
    if within is not None:
        base.append(within)
    if scores is not None:
        base.append(_one_of(session, Listing.id, list(scores)))
    filters = _filters(session, params)
    everything = [*base, *filters.values()]

    if scores is not None and len(scores) <= PYTHON_FACETS_UP_TO:
        # A text query's candidates are few: one fetch and counting in Python beats eight
        # aggregate queries over the same candidates.
        facets, total, page_ids = _facets_from_rows(session, params, base, scores)
    else:
        facets = {name: _facet_counts(session, name, [*base, *(f for other, f in filters.items() if other != name)])
                  for name in FACETS}
        total = session.scalar(select(func.count()).select_from(Listing).where(*everything)) or 0
        page_ids = _page_ids(session, params, everything, scores)
    return SearchOutcome(params=params, terms=terms, total=total, facets=facets,
                         listings=_load_listings(session, page_ids), ignored_query=bool(params.q) and not terms)


def _facets_from_rows(session: Session, params: SearchParams, base: list[ColumnElement[bool]],
                      scores: dict[int, float]) -> tuple[dict[str, list[tuple[str, int]]], int, list[int]]:
    rows = session.execute(
        select(Listing.id, Center.slug, type_coerce(Listing.kind, String), type_coerce(Listing.direction, String),
               Institution.country, Listing.trl, Listing.published_at, Listing.expires_at)
        .join(Center, Center.id == Listing.center_id).join(Institution, Institution.id == Listing.institution_id)
        .where(*base)).all()
    ids = [row[0] for row in rows]
    topics: dict[int, set[str]] = {}
    for listing_id, slug in session.execute(
            select(listing_topics.c.listing_id, Topic.slug).join(Topic, Topic.id == listing_topics.c.topic_id)
            .where(_one_of(session, listing_topics.c.listing_id, ids, "facet_ids"))):
        topics.setdefault(listing_id, set()).add(slug)
    languages: dict[int, set[str]] = {}
    for listing_id, language in session.execute(
            select(ListingTranslation.listing_id, ListingTranslation.language)
            .where(_one_of(session, ListingTranslation.listing_id, ids, "facet_ids"))):
        languages.setdefault(listing_id, set()).add(language)

    chosen = {name: set(getattr(params, name)) for name in ("centers", "kinds", "directions", "countries",
                                                            "topics", "languages")}
    low, high = params.trl_min, params.trl_max
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    matching: list[tuple] = []
    for row in rows:
        listing_id, center, kind, direction, country, trl = row[:6]
        values = {"centers": (center,), "kinds": (kind,), "directions": (direction,), "countries": (country,),
                  "topics": topics.get(listing_id, ()), "languages": languages.get(listing_id, ()),
                  "trl": (str(trl),) if trl is not None else ()}
        failed = [name for name, wanted in chosen.items() if wanted and not wanted.intersection(values[name])]
        if (low is not None or high is not None) and not (
                trl is not None and (low is None or trl >= low) and (high is None or trl <= high)):
            failed.append("trl")
        if not failed:
            matching.append(row)
        for name in (FACETS if not failed else failed if len(failed) == 1 else ()):
            for value in values[name]:
                counts[name][value] = counts[name].get(value, 0) + 1
    facets = {name: sorted(found.items(), key=lambda item: (-item[1], item[0])) for name, found in counts.items()}
    start = (params.page - 1) * params.per_page
    if params.sort == "closing":
        ordered = [row[0] for row in sorted(matching, key=lambda row: (row[7], row[0]))]
    elif params.sort == "newest":
        ordered = [row[0] for row in sorted(matching, key=lambda row: (row[6] or row[7], row[0]), reverse=True)]
    else:
        ordered = order_by_relevance({row[0]: scores[row[0]] for row in matching},
                                     {row[0]: row[6] for row in matching})
    return facets, len(matching), ordered[start:start + params.per_page]


def _filters(session: Session, params: SearchParams) -> dict[str, ColumnElement[bool]]:
    filters: dict[str, ColumnElement[bool]] = {}
    if params.centers:
        filters["centers"] = Listing.center_id.in_(select(Center.id).where(Center.slug.in_(params.centers)))
    if params.kinds:
        filters["kinds"] = Listing.kind.in_(params.kinds)
    if params.directions:
        filters["directions"] = Listing.direction.in_(params.directions)
    if params.countries:
        filters["countries"] = Listing.institution_id.in_(
            select(Institution.id).where(Institution.country.in_(params.countries)))
    if params.topics:
        filters["topics"] = Listing.id.in_(
            select(listing_topics.c.listing_id).join(Topic, Topic.id == listing_topics.c.topic_id)
            .where(Topic.slug.in_(params.topics)))
    if params.languages:
        filters["languages"] = Listing.id.in_(
            select(ListingTranslation.listing_id).where(ListingTranslation.language.in_(params.languages)))
    if params.trl_min is not None or params.trl_max is not None:
        filters["trl"] = Listing.trl.between(params.trl_min or 1, params.trl_max or 9)
    return filters


def _facet_counts(session: Session, facet: str, where: list[ColumnElement[bool]]) -> list[tuple[str, int]]:
    if facet == "centers":
        query = select(Center.slug, func.count()).join(Center, Center.id == Listing.center_id).group_by(Center.slug)
    elif facet == "kinds":
        query = select(Listing.kind, func.count()).group_by(Listing.kind)
    elif facet == "directions":
        query = select(Listing.direction, func.count()).group_by(Listing.direction)
    elif facet == "countries":
        query = (select(Institution.country, func.count()).join(Institution, Institution.id == Listing.institution_id)
                 .group_by(Institution.country))
    elif facet == "topics":
        query = (select(Topic.slug, func.count()).join(listing_topics, listing_topics.c.listing_id == Listing.id)
                 .join(Topic, Topic.id == listing_topics.c.topic_id).group_by(Topic.slug))
    elif facet == "languages":
        query = (select(ListingTranslation.language, func.count())
                 .join(ListingTranslation, ListingTranslation.listing_id == Listing.id)
                 .group_by(ListingTranslation.language))
    else:
        query = select(Listing.trl, func.count()).where(Listing.trl.is_not(None)).group_by(Listing.trl)
    rows = session.execute(query.select_from(Listing).where(*where)).all()
    counts = [(getattr(value, "value", str(value)), count) for value, count in rows]
    return sorted(counts, key=lambda item: (-item[1], item[0]))


def _page_ids(session: Session, params: SearchParams, where: list[ColumnElement[bool]],
              scores: dict[int, float] | None) -> list[int]:
    start = (params.page - 1) * params.per_page
    if params.sort == "relevance" and scores is not None:
        published = dict(session.execute(select(Listing.id, Listing.published_at).where(*where)).all())
        ordered = order_by_relevance({listing_id: scores[listing_id] for listing_id in published}, published)
        return ordered[start:start + params.per_page]
    if params.sort == "closing":
        order = (Listing.expires_at.asc(), Listing.id.asc())
    else:
        order = (Listing.published_at.desc(), Listing.id.desc())
    return list(session.scalars(select(Listing.id).where(*where).order_by(*order)
                                .offset(start).limit(params.per_page)))


def _one_of(session: Session, column, ids: Sequence[int], name: str = "candidate_ids") -> ColumnElement[bool]:  # noqa: ANN001
    """``column IN ids`` as one bound parameter, however many ids (no limit on variables)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(name, list(ids), type_=ARRAY(Integer)))
    values = select(literal_column("value")).select_from(func.json_each(bindparam(name, json.dumps(list(ids)))))
    return column.in_(values)


def _load_listings(session: Session, ids: list[int]) -> list[Listing]:
    if not ids:
        return []
    loaded = session.scalars(select(Listing).where(Listing.id.in_(ids)).options(
        selectinload(Listing.translations), selectinload(Listing.topics),
        selectinload(Listing.institution), selectinload(Listing.center))).all()
    by_id = {listing.id: listing for listing in loaded}
    return [by_id[i] for i in ids if i in by_id]
