"""What a listing search asks for, parsed from a query string. Pure Python.

The page and the API share this, so a search URL and an API call mean the same thing.
Unknown values are dropped (and reported), never passed on to the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
import re
from dataclasses import dataclass, field, replace

SORTS = ("relevance", "newest", "closing")
MAX_QUERY_CHARS = 200
MAX_PAGE = 10_000
MAX_VALUES_PER_FACET = 20


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    centers: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    directions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()  # thesaurus concept keys
    trl_min: int | None = None
    trl_max: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    problems: tuple[str, ...] = field(default=(), compare=False)

    def with_page(self, page: int) -> SearchParams:
        return replace(self, page=page)

    def to_args(self) -> dict[str, object]:
        """Back to query-string arguments (only what differs from the defaults)."""
        args: dict[str, object] = {}
        if self.q:
            args["q"] = self.q
        for name in _ARG_NAMES:
            values = getattr(self, name)
            if values:
                args[_ARG_NAMES[name]] = list(values)
        if self.trl_min is not None:
            args["trl_min"] = self.trl_min
        if self.trl_max is not None:
            args["trl_max"] = self.trl_max
        if self.sort != "relevance":
            args["sort"] = self.sort
        if self.page != 1:
            args["page"] = self.page
        return args


# The query-string names are singular: ?center=a&center=b
_ARG_NAMES = {"centers": "center", "kinds": "kind", "directions": "direction", "countries": "country",
              "topics": "topic", "languages": "language", "subjects": "subject"}
# A concept key as the thesaurus makes them (drip-irrigation, agrovoc:c_2397).
_CONCEPT_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$")


def _looks_like_concept(value: str) -> bool:
    return bool(_CONCEPT_KEY.match(value))


def _clean_query(raw: str) -> str:
    without_controls = "".join(ch if ch.isprintable() else " " for ch in raw[: MAX_QUERY_CHARS * 4])
    return " ".join(without_controls.split())[:MAX_QUERY_CHARS]


def bounded_int(raw: str | None, low: int, high: int, name: str, problems: list[str]) -> int | None:
    """A whole number within [low, high] from a query argument; else None, and what was wrong in ``problems``."""
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        problems.append(f"{name} must be a whole number")
        return None
    if not low <= value <= high:
        problems.append(f"{name} must be between {low} and {high}")
        return None
    return value


def parse_params(args: Mapping[str, Sequence[str]], *, allowed: Mapping[str, Callable[[str], bool]],
                 per_page: int = 20, max_per_page: int = 100) -> SearchParams:
    """``args`` maps names to lists of values (``MultiDict.to_dict(flat=False)``); ``allowed`` has a
    predicate per facet (``"centers"``, ``"kinds"``…) that says which values exist."""
    problems: list[str] = []

    def first(name: str) -> str | None:
        values = args.get(name) or []
        return values[0] if values else None

    facets: dict[str, tuple[str, ...]] = {}
    for attribute, arg in _ARG_NAMES.items():
        values = []
        for value in (args.get(arg) or [])[:MAX_VALUES_PER_FACET]:
            value = value.strip()
            if attribute == "countries":
                value = value.upper()
            if allowed.get(attribute, _looks_like_concept)(value):
                if value not in values:
                    values.append(value)
            elif value:
                problems.append(f"unknown {arg} {value[:40]!r}")
        facets[attribute] = tuple(values)

    trl_min = bounded_int(first("trl_min"), 1, 9, "trl_min", problems)
    trl_max = bounded_int(first("trl_max"), 1, 9, "trl_max", problems)
    if trl_min is not None and trl_max is not None and trl_min > trl_max:
        trl_min, trl_max = trl_max, trl_min
    sort = first("sort") or "relevance"
    if sort not in SORTS:
        problems.append(f"sort must be one of {', '.join(SORTS)}")
        sort = "relevance"
    page = bounded_int(first("page"), 1, MAX_PAGE, "page", problems) or 1
    size = bounded_int(first("per_page"), 1, max_per_page, "per_page", problems) or per_page
    return SearchParams(q=_clean_query(first("q") or ""), trl_min=trl_min, trl_max=trl_max, sort=sort,
                        page=page, per_page=size, problems=tuple(problems), **facets)
