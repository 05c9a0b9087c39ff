"""Helpers the projects' views, the API and the downloads share: facet arguments, labels of
facet values in the reader's language (country names from CLDR), and a project as plain data
without any contact detail."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from portal.extensions import db
from portal.i18n.languages import country_name
from portal.listings.models import KIND_LABELS, ListingKind
from portal.partnerships import rules
from portal.partnerships.models import FIGURES, ORIGIN_LABELS, STAGE_LABELS, Project, Stage
from portal.taxonomy.models import Center, Topic

#: A country pair as the query string gives it: two ISO codes, in either order.
PAIR_PATTERN = re.compile(r"^[A-Z]{2}-[A-Z]{2}$")
#: Query-string names of the facets.
FACET_ARGS = {"center": "centers", "kind": "kinds", "stage": "stages", "pair": "pairs", "topic": "topics"}


def pair_label(pair: str, language: str) -> str:
    codes = rules.split_pair(pair)
    if codes is None:
        return pair
    return f"{country_name(codes[0], language)} – {country_name(codes[1], language)}"


@dataclass
class ProjectVocabulary:
    """The values each facet may take, and their labels in ``language``."""

    language: str

    def __post_init__(self) -> None:
        self.centers = {c.slug: c.label(self.language)
                        for c in db.session.scalars(select(Center).order_by(Center.position))}
        self.topics = {t.slug: t.label(self.language) for t in db.session.scalars(select(Topic).order_by(Topic.slug))}

    def allowed(self, facet: str, value: str) -> bool:
        if facet == "centers":
            return value in self.centers
        if facet == "topics":
            return value in self.topics
        if facet == "kinds":
            return value in ListingKind._value2member_map_
        if facet == "stages":
            return value in Stage._value2member_map_
        if facet == "pairs":  # any two codes: a pair no project has simply finds nothing
            return bool(PAIR_PATTERN.match(value))
        return False

    def label(self, facet: str, value: str) -> str:
        if facet == "centers":
            return self.centers.get(value, value)
        if facet == "topics":
            return self.topics.get(value, value)
        if facet == "kinds":
            return str(KIND_LABELS[ListingKind(value)]) if value in ListingKind._value2member_map_ else value
        if facet == "stages":
            return str(STAGE_LABELS[Stage(value)]) if value in Stage._value2member_map_ else value
        if facet == "pairs":
            return pair_label(value, self.language)
        return value


def selected_facets(args: Mapping[str, list[str]], vocabulary: ProjectVocabulary,
                    strict: bool = False) -> tuple[dict[str, list[str]], list[str]]:
    """The facet values asked for. The page drops unknown values (and normalises case); the
    API (``strict``) reports them as problems."""
    selected: dict[str, list[str]] = {}
    problems: list[str] = []
    for arg, facet in FACET_ARGS.items():
        values = []
        for raw in args.get(arg, [])[:20]:
            value = raw if strict else raw.strip().lower() if facet != "pairs" else raw.strip().upper()
            if facet == "pairs" and PAIR_PATTERN.match(value):
                value = rules.country_pair(*value.split("-"))  # either order names the same pair
            if vocabulary.allowed(facet, value):
                values.append(value)
            elif strict:
                problems.append(f"unknown {arg} {raw[:40]!r}")
        selected[facet] = list(dict.fromkeys(values))
    return selected, problems


def project_data(project: Project, language: str) -> dict:
    """A published project as JSON-ready data in ``language``: for the API and the downloads.
    No person, email or telephone: only institutions, as the public page shows them."""
    content = project.content_for(language)
    countries = [partner.institution.country for partner in project.partners]
    return {
        "id": project.id,
        "url": url_for("partnerships.detail", project_id=project.id, lang_code=language, _external=True),
        "language": content.language,
        "available_languages": project.languages,
        "title": content.title,
        "description": content.description,
        "center": {"slug": project.center.slug, "label": project.center.label(language)},
        "kind": {"value": project.kind.value, "label": str(KIND_LABELS[project.kind])},
        "stage": {"value": project.stage.value, "label": project.stage.label},
        "origin": {"value": project.origin.value, "label": str(ORIGIN_LABELS[project.origin])},
        "partners": [{"id": partner.institution.id, "name": partner.institution.name,
                      "country": partner.institution.country,
                      "country_name": country_name(partner.institution.country, language),
                      "verified": partner.institution.is_verified} for partner in project.partners],
        "country_pairs": [{"value": pair, "label": pair_label(pair, language)}
                          for pair in rules.country_pairs(countries)],
        "topics": [{"slug": topic.slug, "label": topic.label(language)} for topic in project.topics],
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "figures": {name: getattr(project, name) for name in FIGURES},
        "published_at": project.published_at,
    }
