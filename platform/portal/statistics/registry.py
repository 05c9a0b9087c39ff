"""The figures the statistics show, in order: what each computes, shows and publishes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

#: The columns of the open data (CSV); a record of a figure fills those that apply to it.
RECORD_COLUMNS = ("figure", "period", "kind", "direction", "country", "partner_country", "subject", "status",
                  "measure", "value")


@dataclass(frozen=True)
class Scope:
    """What the figures are of: the whole portal (``center_id`` None) or one center, as of ``now``."""

    center_id: int | None
    now: datetime


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float | int | None]


@dataclass(frozen=True)
class ChartSpec:
    """What pygal draws: ``kind`` is line, bar, horizontal_bar, stacked_bar or pie."""

    kind: str
    x_labels: list[str]
    series: list[Series]
    percent: bool = False


@dataclass(frozen=True)
class Table:
    """The data table under a chart: column headings, then rows (a heading cell and values)."""

    columns: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class Presentation:
    """One figure as the page shows it, in the reader's language. ``summary`` is the chart's
    text alternative (its ``<desc>``) and is also printed above it."""

    key: str
    title: str
    summary: str
    table: Table
    chart: ChartSpec | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Figure:
    key: str
    order: int
    compute: Callable[[Session, Scope], Any]  # JSON-able; cached for an hour
    present: Callable[[Any], Presentation]  # in the current locale
    records: Callable[[Any], Iterable[dict[str, Any]]]  # open-data rows, RECORD_COLUMNS keys
    title: Callable[[], str] = lambda: ""  # the figure's name (API), in the current locale


_figures: dict[str, Figure] = {}


def register(figure: Figure) -> Figure:
    _figures[figure.key] = figure
    return figure


def registered() -> list[Figure]:
    return sorted(_figures.values(), key=lambda figure: (figure.order, figure.key))
