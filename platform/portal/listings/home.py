"""The home page: the three centers with their counts, the newest listings, the portal's reach."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from portal.cache import shared
from portal.database import utcnow
from portal.extensions import db
from portal.institutions.models import Institution
from portal.listings.models import Listing, ListingStatus
from portal.listings.queries import latest_public
from portal.taxonomy.blueprint import ordered_centers
from portal.web.blueprint import bp

# Counting every public listing takes tens of milliseconds at 100,000 of them: every process
# shares one count for this long (the newest listings below are always current).
STATS_SECONDS = 60


@bp.route("/")
def home():
    centers = ordered_centers()
    stats = shared("home:stats", STATS_SECONDS, _stats)
    per_center = {center_id: count for center_id, count in stats["per_center"]}
    return render_template("web/home.html", centers=centers, per_center=per_center,
                           latest=latest_public(db.session), stats=stats)


def _stats() -> dict:
    """The home page's figures, as JSON can hold them (a shared cache keeps them)."""
    per_center = db.session.execute(
        select(Listing.center_id, func.count()).where(Listing.status == ListingStatus.PUBLISHED,
                                                      Listing.expires_at > utcnow())
        .group_by(Listing.center_id)).all()
    return {
        "per_center": [[center_id, count] for center_id, count in per_center],
        "listings": sum(count for _center_id, count in per_center),
        "institutions": db.session.scalar(select(func.count()).select_from(Institution)) or 0,
        "countries": db.session.scalar(select(func.count(func.distinct(Institution.country)))) or 0,
    }
