"""The partnership figures: published projects by stage (the portal's own results apart from
cooperation recorded from elsewhere), and the country pairs of their partners.

Only published projects count: a project waiting for a partner's confirmation or a moderator's
decision is not public, so it is not counted either.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.i18n.languages import FOCUS_COUNTRIES
from portal.institutions.models import Institution
from portal.partnerships.models import ORIGIN_LABELS, STAGE_LABELS, Origin, Project, ProjectPartner, ProjectStatus, Stage
from portal.statistics.figures import _number, pair_matrix
from portal.statistics.registry import ChartSpec, Figure, Presentation, Scope, Series, Table, register


def _in_scope(scope: Scope) -> list[Any]:
    return [Project.center_id == scope.center_id] if scope.center_id is not None else []


# --- partnerships by stage -------------------------------------------------------------------------

def _compute_by_stage(session: Session, scope: Scope) -> dict[str, dict[str, int]]:
    """stage -> origin -> published projects."""
    rows = session.execute(
        select(Project.stage, Project.origin, func.count())
        .where(Project.status == ProjectStatus.PUBLISHED, *_in_scope(scope))
        .group_by(Project.stage, Project.origin)).all()
    counts = {stage.value: {origin.value: 0 for origin in Origin} for stage in Stage}
    for stage, origin, count in rows:
        counts[Stage(stage).value][Origin(origin).value] += count
    return counts


def _present_by_stage(counts: dict[str, dict[str, int]]) -> Presentation:
    stages = list(Stage)
    total = sum(sum(by_origin.values()) for by_origin in counts.values())
    portal = sum(by_origin[Origin.PORTAL.value] for by_origin in counts.values())
    stage_names = [str(STAGE_LABELS[stage]) for stage in stages]
    return Presentation(
        key="partnerships_by_stage", title=_("Partnership projects by stage"),
        summary=_("%(total)s published partnership projects, %(portal)s of them found through the platform; "
                  "a bar per stage, its parts by where the cooperation started.",
                  total=_number(total), portal=_number(portal)),
        chart=ChartSpec("stacked_bar", stage_names,
                        [Series(str(ORIGIN_LABELS[origin]), [counts[stage.value][origin.value] for stage in stages])
                         for origin in Origin]) if total else None,
        table=Table([_("Stage"), *(str(ORIGIN_LABELS[origin]) for origin in Origin), _("Total")],
                    [(name, [*(_number(counts[stage.value][origin.value]) for origin in Origin),
                             _number(sum(counts[stage.value].values()))])
                     for stage, name in zip(stages, stage_names, strict=True)]),
    )


def _records_by_stage(counts: dict[str, dict[str, int]]):  # noqa: ANN202
    for stage, by_origin in counts.items():
        for origin, count in by_origin.items():
            # the measure tells the portal's own results from cooperation recorded from elsewhere
            yield {"status": stage, "measure": f"partnership_projects_{origin}", "value": count}


# --- partnerships between countries ----------------------------------------------------------------

def _compute_pairs(session: Session, scope: Scope) -> list[list[Any]]:
    """(country, partner country, projects) for every pair of countries among the partners of a
    published project, both ways round, so the matrix reads the same from either side."""
    rows = session.execute(
        select(ProjectPartner.project_id, Institution.country)
        .join(Institution, Institution.id == ProjectPartner.institution_id)
        .join(Project, Project.id == ProjectPartner.project_id)
        .where(Project.status == ProjectStatus.PUBLISHED, *_in_scope(scope))).all()
    countries: dict[int, set[str]] = {}
    for project_id, country in rows:
        countries.setdefault(project_id, set()).add(country)
    pairs: dict[tuple[str, str], int] = {}
    for found in countries.values():
        for first, second in combinations(sorted(found), 2):
            for pair in ((first, second), (second, first)):
                pairs[pair] = pairs.get(pair, 0) + 1
    return sorted([*pair, count] for pair, count in pairs.items())


def _present_pairs(pairs: list[list[Any]]) -> Presentation:
    focus = set(FOCUS_COUNTRIES)
    between = sum(row[2] for row in pairs if row[0] in focus and row[1] in focus and row[0] < row[1])
    return pair_matrix(
        pairs, key="partnerships_by_country_pair", title=_("Partnerships between countries"),
        summary=_("%(count)s pairs of countries working together in published partnership projects among China and "
                  "the five Central Asian countries: a row and a column per country.", count=_number(between)),
        row_heading=_("Partners from"),
        series_note=_("Each bar is a country; its parts are the countries of its partners in the same projects."))


def _records_pairs(pairs: list[list[Any]]):  # noqa: ANN202
    for country, partner, count in pairs:
        yield {"country": country, "partner_country": partner, "measure": "partnership_projects", "value": count}


register(Figure("partnerships_by_stage", 70, _compute_by_stage, _present_by_stage, _records_by_stage,
                lambda: _("Partnership projects by stage")))
register(Figure("partnerships_by_country_pair", 80, _compute_pairs, _present_pairs, _records_pairs,
                lambda: _("Partnerships between countries")))
