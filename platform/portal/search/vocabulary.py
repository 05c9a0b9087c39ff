"""The search form's vocabulary: which facet values exist, and their labels in the page's language.

Shared by the search pages, the API, saved searches and the digests that re-run them. What it
reads from the database (centers, topics, the thesaurus) is kept per process under the change
token, as the facet index is: a search page reads it once per change, not on every request.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.changes.log import current_token, database_key
from portal.extensions import db
from portal.i18n.collation import collated
from portal.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, country_name, is_country_code, language_name
from portal.listings.models import TRL_LABELS, Direction, ListingKind
from portal.search.facet_cache import current_index_and_token
from portal.search.facet_index import FacetIndex
from portal.search.search_params import SearchParams, parse_params
from portal.subjects.services import current_thesaurus
from portal.taxonomy.models import Center, Topic
from portal.thesaurus.concepts import Thesaurus

PER_PAGE = 20


@dataclass(frozen=True)
class Term:
    """A center or a topic as the search form needs it: its slug and its names."""

    slug: str
    names: dict[str, str]
    center: str | None = None  # a topic's center

    def label(self, language: str) -> str:
        return self.names.get(language) or self.names.get(DEFAULT_LANGUAGE) or self.slug


@dataclass
class Terms:
    """The language-independent part of the vocabulary, at one change token."""

    centers: dict[str, Term]
    topics: dict[str, Term]
    thesaurus: Thesaurus
    labels: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (language, facet, value)


_terms: dict[str, tuple[str, Terms]] = {}  # database -> (change token, terms)
_terms_lock = threading.Lock()


def current_terms(session: Session, token: str | None = None) -> Terms:
    """Centers, topics and thesaurus as of ``token`` (read when not given). A new thesaurus is
    logged as a change of every listing (``load_concepts``), so the token covers it too."""
    token = current_token(session) if token is None else token
    key = database_key(session)
    cached = _terms.get(key)
    if cached is not None and cached[0] == token:
        return cached[1]
    terms = Terms(
        centers={c.slug: Term(c.slug, dict(c.names)) for c in session.scalars(select(Center).order_by(Center.position))},
        topics={slug: Term(slug, dict(names), center) for slug, names, center in session.execute(
            select(Topic.slug, Topic.names, Center.slug).outerjoin(Center, Center.id == Topic.center_id)
            .order_by(Topic.slug))},
        thesaurus=current_thesaurus(session))
    with _terms_lock:
        _terms[key] = (token, terms)
    return terms


def forget_terms() -> None:
    """Drop what was read (tests roll their taxonomy back whatever the change token says)."""
    with _terms_lock:
        _terms.clear()


def current_search(language: str) -> tuple[FacetIndex, SearchVocabulary]:
    """The process's facet index and the vocabulary at the same change token, in one query."""
    index, token = current_index_and_token(db.session)
    return index, SearchVocabulary(language, current_terms(db.session, token))


class SearchVocabulary:
    """Which facet values exist, and their labels in the page's language."""

    def __init__(self, language: str, terms: Terms | None = None) -> None:
        self.language = language
        self.terms = terms or current_terms(db.session)
        self.centers, self.topics, self.thesaurus = self.terms.centers, self.terms.topics, self.terms.thesaurus

    def topics_of(self, center: str) -> list[Term]:
        return [topic for topic in self.topics.values() if topic.center == center]

    def allowed(self) -> dict:
        return {
            "centers": self.centers.__contains__,
            "kinds": lambda v: v in ListingKind._value2member_map_,
            "directions": lambda v: v in Direction._value2member_map_,
            "countries": is_country_code,
            "topics": self.topics.__contains__,
            "languages": lambda v: v in LANGUAGES,
            "subjects": self.thesaurus.__contains__,
        }

    #: Facets listed by their labels in the page language's collation (the others by count).
    COLLATED_FACETS = frozenset({"countries", "topics"})

    def in_order(self, facet: str, counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
        """A facet's ``(value, count)`` pairs as the filters show them: countries and topics by
        name, as a reader of the page's language looks them up; the others (centers, kinds,
        languages, and the most frequent subjects) as the index counted them."""
        if facet not in self.COLLATED_FACETS:
            return counts
        return collated(counts, self.language, key=lambda pair: self.label(facet, pair[0]))

    def label(self, facet: str, value: str) -> str:
        if facet == "kinds":  # translated by the request's locale: not kept
            return ListingKind(value).label
        if facet == "directions":
            return Direction(value).label
        if facet == "trl":
            return str(TRL_LABELS.get(int(value), value))
        key = (self.language, facet, value)
        found = self.terms.labels.get(key)
        if found is None:
            found = self.terms.labels[key] = self._data_label(facet, value)
        return found

    def _data_label(self, facet: str, value: str) -> str:
        if facet == "centers":
            return self.centers[value].label(self.language)
        if facet == "countries":
            return country_name(value, self.language)
        if facet == "topics":
            return self.topics[value].label(self.language)
        if facet == "languages":
            return language_name(value, self.language)
        if facet == "subjects":
            return self.thesaurus.label(value, self.language)
        return value


def search_params(vocabulary: SearchVocabulary, query: Mapping[str, list[str]],
                  **defaults) -> SearchParams:  # noqa: ANN003
    """The search asked for by a query string (``request.args.to_dict(flat=False)``)."""
    args = dict(query)
    for key, value in defaults.items():
        args.setdefault(key, [value])
    return parse_params(args, allowed=vocabulary.allowed(), per_page=PER_PAGE)


