"""The search form's vocabulary: which facet values exist, and their labels in the page's language.

Shared by the search pages, the API, saved searches and the digests that re-run them.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from portal.extensions import db
from portal.i18n.languages import LANGUAGES, country_name, is_country_code, language_name
from portal.listings.models import TRL_LABELS, Direction, ListingKind
from portal.search.search_params import SearchParams, parse_params
from portal.subjects.services import current_thesaurus
from portal.taxonomy.models import Center, Topic

PER_PAGE = 20


class SearchVocabulary:
    """Which facet values exist, and their labels in the page's language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.centers = {c.slug: c for c in db.session.scalars(select(Center).order_by(Center.position))}
        self.topics = {t.slug: t for t in db.session.scalars(select(Topic).order_by(Topic.slug))}
        self.thesaurus = current_thesaurus(db.session)

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

    def label(self, facet: str, value: str) -> str:
        if facet == "centers":
            return self.centers[value].label(self.language)
        if facet == "kinds":
            return ListingKind(value).label
        if facet == "directions":
            return Direction(value).label
        if facet == "countries":
            return country_name(value, self.language)
        if facet == "topics":
            return self.topics[value].label(self.language)
        if facet == "languages":
            return language_name(value, self.language)
        if facet == "trl":
            return str(TRL_LABELS.get(int(value), value))
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


