"""The home page: what the platform is for, a search box, the three centers with their counts
and newest listings, the portal's figures, and sections other features add.

Figures: a feature higher in the house adds one with ``@home_figure(key, label)`` on a function
``(session) -> int`` (interests count the accepted ones this way). Every figure is computed in
one go into the shared cache (``portal.cache.shared``) and read back with the others, so a figure
costs no query on a warm page; ``label(n)`` is called at render for the words after the number.

Sections: the page renders ``sections("home", language=…)`` (``portal.web.sections``) after the
centers and figures, in their ``order``. A feature registers one without home importing it::

    @section("home", "partnerships/_home_section.html", order=20)
    def newest_partnerships(language: str, **_facts) -> dict | None: ...

A provider runs on every view of the busiest page: it keeps its statements to the minimum
(``tests/test_page_queries.py`` holds home to ``HOME_CAP``), e.g. by reading from ``shared``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import render_template
from flask_babel import ngettext
from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from portal.cache import shared
from portal.database import utcnow
from portal.extensions import db
from portal.i18n.routing import current_language
from portal.institutions.models import Institution
from portal.listings.models import Listing, ListingStatus
from portal.listings.queries import card_listings
from portal.taxonomy.blueprint import ordered_centers
from portal.taxonomy.models import Center
from portal.web.blueprint import bp
from portal.web.sections import sections
from portal.cache.pages import shared_page

# Counting every public listing takes tens of milliseconds at 100,000 of them: every process
# shares one count for this long (the newest listings below are always current).
STATS_SECONDS = 60
LATEST_PER_CENTER = 3


@dataclass(frozen=True)
class Figure:
    key: str
    count: Callable[[Session], int] | None  # None: the open listings, which home counts itself
    label: Callable[[int], str]
    order: int


_figures: dict[str, Figure] = {}


def home_figure(key: str, label: Callable[[int], str], *, order: int = 50) -> Callable:
    """Register the decorated ``(session) -> int`` as one of the home page's figures."""
    def register(count: Callable[[Session], int]) -> Callable[[Session], int]:
        _figures[key] = Figure(key, count, label, order)
        return count
    return register


@bp.route("/")
@shared_page
def home():
    centers = ordered_centers()
    stats = shared("home:figures", STATS_SECONDS, _stats)
    per_center = {center_id: count for center_id, count in stats["per_center"]}
    counts = stats["figures"]
    figures = [(counts[figure.key], figure.label(counts[figure.key]))  # a zero says nothing yet: left out
               for figure in sorted(_figures.values(), key=lambda figure: figure.order) if counts.get(figure.key)]
    return render_template("web/home.html", centers=centers, per_center=per_center, figures=figures,
                           latest=latest_per_center(db.session, centers),
                           home_sections=sections("home", language=current_language()))


def latest_per_center(session: Session, centers: Sequence[Center],
                      limit: int = LATEST_PER_CENTER) -> dict[int, list[Listing]]:
    """The newest public listings of each center, newest first: one statement for the listings
    (each center's few walk ``ix_listings_center_status_published``), one for their texts."""
    if not centers:
        return {}
    newest = [select(Listing.id).where(Listing.center_id == center.id, Listing.status == ListingStatus.PUBLISHED,
                                       Listing.expires_at > utcnow())
              .order_by(Listing.published_at.desc(), Listing.id.desc()).limit(limit).subquery()
              for center in centers]
    ids = union_all(*(select(subquery.c.id) for subquery in newest))
    found: dict[int, list[Listing]] = {center.id: [] for center in centers}
    for listing in session.scalars(card_listings().where(Listing.id.in_(ids))
                                   .order_by(Listing.published_at.desc(), Listing.id.desc())).unique():
        found.setdefault(listing.center_id, []).append(listing)
    return found


def _stats() -> dict:
    """The home page's figures, as JSON can hold them (a shared cache keeps them)."""
    per_center = db.session.execute(
        select(Listing.center_id, func.count()).where(Listing.status == ListingStatus.PUBLISHED,
                                                      Listing.expires_at > utcnow())
        .group_by(Listing.center_id)).all()
    open_listings = sum(count for _center_id, count in per_center)
    return {
        "per_center": [[center_id, count] for center_id, count in per_center],
        "figures": {figure.key: open_listings if figure.count is None else int(figure.count(db.session) or 0)
                    for figure in _figures.values()},
    }


# Published and not expired: the sum of the centers' counts, which ``_stats`` has already.
_figures["listings"] = Figure("listings", None, lambda n: ngettext("open listing", "open listings", n), order=10)


@home_figure("institutions", lambda n: ngettext("institution", "institutions", n), order=20)
def _institutions(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Institution)) or 0


@home_figure("countries", lambda n: ngettext("country taking part", "countries taking part", n), order=30)
def _countries(session: Session) -> int:
    return session.scalar(select(func.count(func.distinct(Institution.country)))) or 0
