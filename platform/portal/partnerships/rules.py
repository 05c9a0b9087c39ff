"""The rules of partnership projects, in plain Python (no Flask, no ORM): which stages exist,
when a project moves on, who may act, country pairs and the facets of the projects page.

Values are the enums' string values, so that the pages, the API and the tests share one table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

#: A project's stages, in the order cooperation goes through them.
STAGES = ("talks", "agreement_signed", "running", "completed")
MIN_PARTNERS = 2
MAX_PARTNERS = 12

# Statuses (ProjectStatus' values).
AWAITING_PARTNERS, SUBMITTED, CHANGES_REQUESTED = "awaiting_partners", "submitted", "changes_requested"
REJECTED, PUBLISHED, WITHDRAWN = "rejected", "published", "withdrawn"
#: Partners may still change the proposal (texts, partners, dates): each change asks the others again.
EDITABLE = frozenset({AWAITING_PARTNERS, SUBMITTED, CHANGES_REQUESTED})
#: Partners confirm or decline while the proposal waits for them.
CONFIRMABLE = frozenset({AWAITING_PARTNERS})
#: Stage and figures: what partners report as the work goes on, once the project is accepted.
PROGRESS = frozenset({PUBLISHED})


def status_after_confirmations(confirmed: Collection[bool]) -> str:
    """Every partner confirmed: the project goes to the moderators; otherwise it keeps waiting."""
    if len(confirmed) < MIN_PARTNERS:
        return WITHDRAWN
    return SUBMITTED if all(confirmed) else AWAITING_PARTNERS


def stage_change(before: str, after: str) -> bool:
    """Whether setting ``after`` is a change to record (any known stage but the current one:
    partners may also correct a stage set too early)."""
    return after in STAGES and after != before


def dates_problem(starts_on: date | None, ends_on: date | None) -> str | None:
    if starts_on is None:
        return "start"
    if ends_on is not None and ends_on < starts_on:
        return "order"
    return None


def is_partner(acting_institution_id: int | None, partner_ids: Collection[int]) -> bool:
    """Only members of a partner institution act on a project (moderators decide on it)."""
    return acting_institution_id is not None and acting_institution_id in partner_ids


def may_propose_from_interest(acting_institution_id: int | None, listing_institution_id: int,
                              sender_institution_id: int, accepted: bool) -> bool:
    """Either side of an accepted expression of interest may propose to record a partnership."""
    return accepted and acting_institution_id in (listing_institution_id, sender_institution_id)


def country_pair(first: str, second: str) -> str:
    """``"CN-KZ"``: the two ISO codes in alphabetical order, so each pair has one key."""
    a, b = sorted((first.upper(), second.upper()))
    return f"{a}-{b}"


def country_pairs(countries: Iterable[str]) -> list[str]:
    """Every pair of different countries among a project's partners (a Chinese–Kazakh–Uzbek
    project counts for CN-KZ, CN-UZ and KZ-UZ)."""
    distinct = sorted({code.upper() for code in countries if code})
    return [country_pair(a, b) for a, b in combinations(distinct, 2)]


def split_pair(pair: str) -> tuple[str, str] | None:
    parts = pair.upper().split("-")
    if len(parts) != 2 or not all(len(part) == 2 and part.isalpha() for part in parts) or parts[0] >= parts[1]:
        return None
    return parts[0], parts[1]


# Facets of the projects page and the API.

FACETS = ("centers", "kinds", "stages", "pairs", "topics")


@dataclass(frozen=True)
class ProjectFacts:
    """What the facets know of one published project."""

    id: int
    center: str
    kind: str
    stage: str
    pairs: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    def values(self, facet: str) -> tuple[str, ...]:
        single = {"centers": self.center, "kinds": self.kind, "stages": self.stage}
        if facet in single:
            return (single[facet],)
        return self.pairs if facet == "pairs" else self.topics


@dataclass
class Faceted:
    ids: list[int]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def facet(projects: Iterable[ProjectFacts], selected: Mapping[str, Collection[str]],
          among: Collection[int] | None = None) -> Faceted:
    """The projects matching every selected facet (values within one facet are OR), and per
    facet the counts a visitor would get by adding each value: the other facets' selections
    apply, its own does not. ``among``: the ids a text search left (None: no search)."""
    rows = [p for p in projects if among is None or p.id in among]

    def keeps(project: ProjectFacts, skip: str | None = None) -> bool:
        return all(not wanted or set(project.values(name)) & set(wanted)
                   for name, wanted in selected.items() if name in FACETS and name != skip)

    counts: dict[str, list[tuple[str, int]]] = {}
    for name in FACETS:
        counter: Counter[str] = Counter()
        for project in rows:
            if keeps(project, skip=name):
                counter.update(set(project.values(name)))
        order = {value: position for position, value in enumerate(STAGES)} if name == "stages" else {}
        counts[name] = sorted(counter.items(), key=lambda item: (order.get(item[0], 0), -item[1], item[0]))
    return Faceted([project.id for project in rows if keeps(project)], counts)
