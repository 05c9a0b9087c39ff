"""The portal's figures, each aggregated by SQL (GROUP BY) on SQLite and PostgreSQL alike, and
``figures_for``: every registered figure of a scope, computed at most once an hour by all
processes together.

What is counted: listings that went public — status *published* or *expired* (drafts, listings
under review, rejected, suspended and withdrawn ones never count), and the expressions of
interest in them. "Open" means published and not yet past its end date.
"""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime
from typing import Any

from babel.dates import format_skeleton
from flask_babel import format_decimal, format_percent, get_locale
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from portal.cache import peek, put, shared
from portal.database import utcnow
from portal.i18n.languages import FOCUS_COUNTRIES, country_name
from portal.institutions.models import Institution
from portal.interests.models import Interest, InterestStatus
from portal.listings.models import Direction, ListingKind, Listing, ListingStatus
from portal.statistics.registry import ChartSpec, Figure, Presentation, Scope, Series, Table, register, registered
from portal.subjects.models import ConceptRow, ListingConcept

CACHE_SECONDS = 3600  # the figures are "per hour": every process shares one computation this long
REFRESH_SECONDS = 3000  # the worker recomputes them after 50 minutes…
KEEP_SECONDS = 4800  # …and stores them for 80, so a page never finds them expired while a worker runs
COUNTED = (ListingStatus.PUBLISHED, ListingStatus.EXPIRED)
MONTHS = 24
TOP_SUBJECTS = 10
TOP_COUNTRIES = 12
#: Days from publication to the first interest, as the histogram groups them: [0, 1), [1, 7)…
WAIT_BOUNDS = (1, 7, 30, 90)


def compute_figures(session: Session, center_id: int | None) -> dict[str, Any]:
    """Every registered figure of the scope, now: ``{"generated_at", "figures": {key: value}}``."""
    scope = Scope(center_id=center_id, now=utcnow())
    values: dict[str, Any] = {figure.key: figure.compute(session, scope) for figure in registered()}
    return {"generated_at": scope.now.isoformat(timespec="seconds"), "figures": values}


def figures_for(session: Session, center_id: int | None, key: str) -> dict[str, Any]:
    """The scope's figures from the shared cache; ``key`` names the scope there (a center's
    slug, or ``all``). The worker refreshes them every hour (``refresh_due``), so a page only
    computes them itself when no worker has yet (a fresh portal), and keeps them for an hour."""
    return shared(f"statistics:{key}", CACHE_SECONDS, lambda: compute_figures(session, center_id))


def refresh_due(session: Session, scopes: list[tuple[int | None, str]], now: datetime) -> int:
    """The worker's step: recompute the figures of each scope (``(center id, key)``) whose
    shared copy is missing or older than ``REFRESH_SECONDS``, and keep them a while longer than
    that, so pages always find them. Returns how many scopes were recomputed."""
    refreshed = 0
    for center_id, key in scopes:
        stored = peek(f"statistics:{key}")
        if isinstance(stored, dict) and "generated_at" in stored and \
                (now - datetime.fromisoformat(stored["generated_at"])).total_seconds() < REFRESH_SECONDS:
            continue
        put(f"statistics:{key}", compute_figures(session, center_id), KEEP_SECONDS)
        session.commit()
        refreshed += 1
    return refreshed


# --- helpers -------------------------------------------------------------------------------------

def _month(session: Session, column: Any) -> ColumnElement[str]:
    """``YYYY-MM`` of a timestamp: SQLite keeps timestamps as ISO text, PostgreSQL formats them."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.substr(column, 1, 7)


def _in_scope(scope: Scope) -> list[ColumnElement[bool]]:
    return [Listing.center_id == scope.center_id] if scope.center_id is not None else []


def _countries(session: Session, institution_ids: set[int]) -> dict[int, str]:
    if not institution_ids:
        return {}
    return dict(session.execute(select(Institution.id, Institution.country)
                                .where(Institution.id.in_(institution_ids))).all())


def _months(now: datetime, count: int = MONTHS) -> list[str]:
    year, month = now.year, now.month
    found = []
    for _index in range(count):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found[::-1]


def _number(value: float | int) -> str:
    return format_decimal(value)


def _month_label(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return format_skeleton("yMMM", date(year, number, 1), locale=get_locale())


def _language() -> str:
    return str(get_locale() or "en")


def _country(code: str) -> str:
    return country_name(code, _language())


def _series_label(kind: str, direction: str) -> str:
    # i18n: a chart series, e.g. "Joint research: offers"
    return _("%(kind)s: %(direction)s", kind=ListingKind(kind).label, direction=_direction_plural(direction))


def _direction_plural(direction: str) -> str:
    return _("Offers") if direction == Direction.OFFER else _("Requests")


# --- open listings over time ---------------------------------------------------------------------

def _compute_over_time(session: Session, scope: Scope) -> dict[str, Any]:
    """Listings open on the first day of each of the last 24 months, by kind and direction: a
    listing is open on the 1st of month m when it was published before m and ends in m or later,
    so one GROUP BY of (published month, end month) gives every month at once."""
    months = _months(scope.now)
    published, ends = _month(session, Listing.published_at), _month(session, Listing.expires_at)
    rows = session.execute(
        # No condition on the dates: the covering index (ix_listings_statistics) is then read alone.
        select(Listing.kind, Listing.direction, published, ends, func.count())
        .where(Listing.status.in_(COUNTED), *_in_scope(scope))
        .group_by(Listing.kind, Listing.direction, published, ends)).all()
    series = {f"{kind}:{direction}": [0] * len(months) for kind in ListingKind for direction in Direction}
    for kind, direction, published_month, end_month, count in rows:
        if published_month is None or end_month < months[0]:
            continue
        values = series[f"{ListingKind(kind)}:{Direction(direction)}"]
        for index, month in enumerate(months):
            if published_month < month <= end_month:
                values[index] += count
    return {"months": months, "series": series}


def _present_over_time(data: dict[str, Any]) -> Presentation:
    months, series = data["months"], data["series"]
    labels = [_month_label(month) for month in months]
    ordered = [(key, _series_label(*key.split(":"))) for key in series]
    latest = sum(values[-1] for values in series.values())
    return Presentation(
        key="open_listings_over_time", title=_("Open listings over time"),
        summary=_("Open listings on the first day of each month, by kind and by offers and requests, over the "
                  "last %(num)s months. On %(date)s: %(count)s open listings.", num=_number(len(months)),
                  date=_month_label(months[-1]), count=_number(latest)),
        chart=ChartSpec("line", labels, [Series(label, series[key]) for key, label in ordered]),
        table=Table([_("Month"), *[label for _key, label in ordered]],
                    [(label, [_number(series[key][index]) for key, _label in ordered])
                     for index, label in enumerate(labels)][::-1]),
    )


def _records_over_time(data: dict[str, Any]):  # noqa: ANN202
    for key, values in data["series"].items():
        kind, direction = key.split(":")
        for month, value in zip(data["months"], values, strict=True):
            yield {"period": month, "kind": kind, "direction": direction, "measure": "open_listings", "value": value}


# --- open listings by country --------------------------------------------------------------------

def _compute_by_country(session: Session, scope: Scope) -> list[list[Any]]:
    # Grouped by institution from the covering index, then by its country here: a join of every
    # listing to its institution costs more than the few thousand institutions' countries.
    rows = session.execute(
        select(Listing.institution_id, Listing.direction, func.count())
        .where(Listing.status == ListingStatus.PUBLISHED, Listing.expires_at > scope.now, *_in_scope(scope))
        .group_by(Listing.institution_id, Listing.direction)).all()
    countries = _countries(session, {row[0] for row in rows})
    counts: dict[str, list[int]] = {}
    for institution_id, direction, count in rows:
        counts.setdefault(countries[institution_id], [0, 0])[_column(direction)] += count
    return sorted(([country, *values] for country, values in counts.items()),
                  key=lambda row: (-row[1] - row[2], row[0]))


def _column(direction: str) -> int:
    """Offers first, requests second, in the rows of the figures."""
    return 0 if Direction(direction) == Direction.OFFER else 1


def _present_by_country(rows: list[list[Any]]) -> Presentation:
    shown = rows[:TOP_COUNTRIES]
    names = [_country(row[0]) for row in shown]
    total = sum(row[1] + row[2] for row in rows)
    notes = [_("Only the %(num)s countries with the most listings are drawn; the table lists all.",
               num=_number(TOP_COUNTRIES))] if len(rows) > TOP_COUNTRIES else []
    return Presentation(
        key="listings_by_country", title=_("Open listings by country"),
        summary=_("%(count)s open listings from institutions of %(countries)s countries, offers and requests "
                  "by the institution's country.", count=_number(total), countries=_number(len(rows))),
        chart=ChartSpec("horizontal_bar", names[::-1], [Series(_("Offers"), [row[1] for row in shown][::-1]),
                                                        Series(_("Requests"), [row[2] for row in shown][::-1])]),
        table=Table([_("Country"), _("Offers"), _("Requests"), _("Total")],
                    [(_country(row[0]), [_number(row[1]), _number(row[2]), _number(row[1] + row[2])]) for row in rows]),
        notes=notes,
    )


def _records_by_country(rows: list[list[Any]]):  # noqa: ANN202
    for country, offers, requests in rows:
        yield {"country": country, "direction": "offer", "measure": "open_listings", "value": offers}
        yield {"country": country, "direction": "request", "measure": "open_listings", "value": requests}


# --- interests between countries -----------------------------------------------------------------

def _compute_interest_pairs(session: Session, scope: Scope) -> list[list[Any]]:
    """(country of the institution that expressed interest, country of the listing's
    institution, interests) for every pair that has any."""
    rows = session.execute(
        select(Interest.institution_id, Listing.institution_id, func.count())
        .select_from(Interest).join(Listing, Listing.id == Interest.listing_id)
        .where(Listing.status.in_(COUNTED), *_in_scope(scope))
        .group_by(Interest.institution_id, Listing.institution_id)).all()
    countries = _countries(session, {row[0] for row in rows} | {row[1] for row in rows})
    pairs: dict[tuple[str, str], int] = {}
    for sender, owner, count in rows:
        pair = (countries[sender], countries[owner])
        pairs[pair] = pairs.get(pair, 0) + count
    return sorted([*pair, count] for pair, count in pairs.items())


def pair_matrix(pairs: list[list[Any]], *, key: str, title: str, summary: str, row_heading: str,
                series_note: str) -> Presentation:
    """The China × Central Asia matrix of (country, partner country, count) rows: a row per
    country of the six, a column per partner country of the six; pairs with another country
    are left out. Interests use it; partnership country pairs can too."""
    cells = {(row[0], row[1]): row[2] for row in pairs}
    names = [_country(code) for code in FOCUS_COUNTRIES]
    matrix = [[cells.get((row, column), 0) for column in FOCUS_COUNTRIES] for row in FOCUS_COUNTRIES]
    return Presentation(
        key=key, title=title, summary=summary,
        chart=ChartSpec("stacked_bar", names, [Series(names[index], [matrix[row][index] for row in range(len(names))])
                                               for index in range(len(names))]) if any(map(any, matrix)) else None,
        table=Table([row_heading, *names, _("Total")],
                    [(names[index], [*[_number(value) for value in values], _number(sum(values))])
                     for index, values in enumerate(matrix)]),
        notes=[series_note] if any(map(any, matrix)) else [],
    )


def _present_interest_pairs(pairs: list[list[Any]]) -> Presentation:
    focus = set(FOCUS_COUNTRIES)
    between = sum(row[2] for row in pairs if row[0] in focus and row[1] in focus)
    return pair_matrix(
        pairs, key="interests_by_country_pair", title=_("Interest between countries"),
        summary=_("%(count)s expressions of interest between institutions of China and the five Central Asian "
                  "countries: a row per country of the institution that expressed interest, a column per "
                  "country of the institution that posted the listing.", count=_number(between)),
        row_heading=_("Interest from"),
        series_note=_("Each bar is a country whose institutions expressed interest; its parts are the countries "
                      "of the listings' institutions."))


def _records_interest_pairs(pairs: list[list[Any]]):  # noqa: ANN202
    for country, partner, count in pairs:
        yield {"country": country, "partner_country": partner, "measure": "interests", "value": count}


# --- accepted interests --------------------------------------------------------------------------

def _compute_answers(session: Session, scope: Scope) -> dict[str, int]:
    rows = session.execute(
        select(Interest.status, func.count()).join(Listing, Listing.id == Interest.listing_id)
        .where(Listing.status.in_(COUNTED), *_in_scope(scope)).group_by(Interest.status)).all()
    counts = {status.value: 0 for status in InterestStatus}
    for status, count in rows:
        counts[InterestStatus(status).value] += count
    return counts


def _answer_labels() -> dict[str, str]:
    return {InterestStatus.ACCEPTED.value: _("Accepted"), InterestStatus.DECLINED.value: _("Declined"),
            InterestStatus.PENDING.value: _("Awaiting an answer")}


def _present_answers(counts: dict[str, int]) -> Presentation:
    total = sum(counts.values())
    labels = _answer_labels()
    share = counts[InterestStatus.ACCEPTED] / total if total else 0
    return Presentation(
        key="interests_accepted", title=_("Expressions of interest accepted"),
        summary=_("%(accepted)s of %(total)s expressions of interest were accepted (%(share)s).",
                  accepted=_number(counts[InterestStatus.ACCEPTED]), total=_number(total),
                  share=format_percent(share, "#,##0.#%")),
        chart=ChartSpec("pie", [], [Series(labels[status], [counts[status]]) for status in labels]) if total else None,
        table=Table([_("Answer"), _("Expressions of interest"), _("Share")],
                    [(labels[status], [_number(counts[status]),
                                       format_percent(counts[status] / total if total else 0, "#,##0.#%")])
                     for status in labels]),
    )


def _records_answers(counts: dict[str, int]):  # noqa: ANN202
    for status, count in counts.items():
        yield {"status": status, "measure": "interests", "value": count}


# --- time to the first interest ------------------------------------------------------------------

def _compute_first_interest(session: Session, scope: Scope) -> dict[str, Any]:
    """Days from each listing's publication to its first expression of interest: SQL finds each
    listing's first interest (GROUP BY), the median is taken here (SQLite has no percentile)."""
    first = (select(Interest.listing_id, func.min(Interest.created_at).label("first"))
             .group_by(Interest.listing_id).subquery())  # read in the order of ix_interests_listing_created
    rows = session.execute(
        select(Listing.published_at, first.c.first).join(Listing, Listing.id == first.c.listing_id)
        .where(Listing.status.in_(COUNTED), Listing.published_at.is_not(None), *_in_scope(scope))).all()
    days = []
    for published_at, first in rows:
        if isinstance(first, str):  # SQLite returns an aggregate's timestamp as text
            first = datetime.fromisoformat(first).replace(tzinfo=UTC)
        elif first.tzinfo is None:
            first = first.replace(tzinfo=UTC)
        days.append(max(0.0, (first - published_at).total_seconds() / 86400))
    buckets = [0] * (len(WAIT_BOUNDS) + 1)
    for value in days:
        buckets[sum(1 for bound in WAIT_BOUNDS if value >= bound)] += 1
    return {"listings": len(days), "median_days": round(statistics.median(days), 2) if days else None,
            "buckets": buckets}


def _wait_labels() -> list[str]:
    return [_("Within a day"), _("A day to a week"), _("A week to a month"), _("One to three months"),
            _("More than three months")]


def _present_first_interest(data: dict[str, Any]) -> Presentation:
    labels = _wait_labels()
    if data["median_days"] is None:
        summary = _("No listing has received an expression of interest yet.")
    else:
        summary = _("Half of the listings that received an expression of interest received the first one within "
                    "%(days)s days of publication (the median, over %(count)s listings).",
                    days=format_decimal(data["median_days"], "#,##0.#"), count=_number(data["listings"]))
    return Presentation(
        key="time_to_first_interest", title=_("Time from publication to the first interest"), summary=summary,
        chart=ChartSpec("bar", labels, [Series(_("Listings"), data["buckets"])]) if data["listings"] else None,
        table=Table([_("First interest"), _("Listings")],
                    [(label, [_number(count)]) for label, count in zip(labels, data["buckets"], strict=True)]),
    )


def _records_first_interest(data: dict[str, Any]):  # noqa: ANN202
    yield {"measure": "median_days_to_first_interest", "value": data["median_days"]}
    yield {"measure": "listings_with_interest", "value": data["listings"]}
    bounds = [0, *WAIT_BOUNDS]
    for index, count in enumerate(data["buckets"]):
        period = f"{bounds[index]}-{WAIT_BOUNDS[index]}d" if index < len(WAIT_BOUNDS) else f"{bounds[index]}d+"
        yield {"period": period, "measure": "listings_by_days_to_first_interest", "value": count}


# --- subjects in demand --------------------------------------------------------------------------

def _compute_subjects(session: Session, scope: Scope) -> dict[str, Any]:
    """Open requests and offers per thesaurus subject: the most requested subjects with their
    offers, and the most requested subjects that no open offer is about."""
    rows = session.execute(
        select(ListingConcept.concept_id, Listing.direction, func.count())
        .join(Listing, and_(Listing.id == ListingConcept.listing_id))
        .where(ListingConcept.rejected.is_(False), Listing.status == ListingStatus.PUBLISHED,
               Listing.expires_at > scope.now, *_in_scope(scope))
        .group_by(ListingConcept.concept_id, Listing.direction)).all()
    counts: dict[int, list[int]] = {}
    for concept_id, direction, count in rows:
        counts.setdefault(concept_id, [0, 0])[_column(direction)] += count
    requested = sorted((item for item in counts.items() if item[1][1]), key=lambda item: (-item[1][1], item[0]))
    demanded = requested[:TOP_SUBJECTS]
    unmet = [item for item in requested if not item[1][0]][:TOP_SUBJECTS]
    wanted = {concept_id for concept_id, _counts in demanded + unmet}
    concepts = {row.id: row for row in session.scalars(select(ConceptRow).where(ConceptRow.id.in_(wanted)))} \
        if wanted else {}

    def described(concept_id: int, values: list[int]) -> dict[str, Any]:
        row = concepts[concept_id]
        labels = {language: value["pref"] for language, value in (row.labels or {}).items() if value.get("pref")}
        return {"key": row.key, "labels": labels, "requests": values[1], "offers": values[0]}

    return {"demanded": [described(*item) for item in demanded], "unmet": [described(*item) for item in unmet]}


def _subject_label(subject: dict[str, Any]) -> str:
    labels = subject["labels"]
    return labels.get(_language()) or labels.get("en") or next(iter(labels.values()), subject["key"])


def _present_subjects(data: dict[str, Any]) -> Presentation:
    demanded, unmet = data["demanded"], data["unmet"]
    names = [_subject_label(subject) for subject in demanded]
    notes = []
    if unmet:
        notes.append(_("Requested but not offered in any open listing: %(subjects)s.",
                       subjects=", ".join(f"{_subject_label(subject)} ({_number(subject['requests'])})"
                                          for subject in unmet)))
    return Presentation(
        key="subjects_in_demand", title=_("Subjects in demand and on offer"),
        summary=_("The %(num)s subjects most requested by open listings, with the open offers about each.",
                  num=_number(len(demanded))) if demanded else _("No open request has subjects yet."),
        chart=ChartSpec("horizontal_bar", names[::-1],
                        [Series(_("Requests"), [subject["requests"] for subject in demanded][::-1]),
                         Series(_("Offers"), [subject["offers"] for subject in demanded][::-1])]) if demanded else None,
        table=Table([_("Subject"), _("Requests"), _("Offers")],
                    [(name, [_number(subject["requests"]), _number(subject["offers"])])
                     for name, subject in zip(names, demanded, strict=True)]),
        notes=notes,
    )


def _records_subjects(data: dict[str, Any]):  # noqa: ANN202
    seen = set()
    for subject in data["demanded"] + data["unmet"]:
        if subject["key"] in seen:
            continue
        seen.add(subject["key"])
        yield {"subject": subject["key"], "direction": "request", "measure": "open_listings",
               "value": subject["requests"]}
        yield {"subject": subject["key"], "direction": "offer", "measure": "open_listings", "value": subject["offers"]}


register(Figure("open_listings_over_time", 10, _compute_over_time, _present_over_time, _records_over_time,
                lambda: _("Open listings over time")))
register(Figure("listings_by_country", 20, _compute_by_country, _present_by_country, _records_by_country,
                lambda: _("Open listings by country")))
register(Figure("interests_by_country_pair", 30, _compute_interest_pairs, _present_interest_pairs,
                _records_interest_pairs, lambda: _("Interest between countries")))
register(Figure("interests_accepted", 40, _compute_answers, _present_answers, _records_answers,
                lambda: _("Expressions of interest accepted")))
register(Figure("time_to_first_interest", 50, _compute_first_interest, _present_first_interest,
                _records_first_interest, lambda: _("Time from publication to the first interest")))
register(Figure("subjects_in_demand", 60, _compute_subjects, _present_subjects, _records_subjects,
                lambda: _("Subjects in demand and on offer")))
# Figures of other features register in modules of this package imported here (see the package's docstring).
from portal.statistics import partnerships  # noqa: E402,F401  (partnership projects by stage, country pairs)
