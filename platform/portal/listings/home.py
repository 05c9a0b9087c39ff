"""The home page: the three centers with their counts, the newest listings, the portal's reach."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from portal.extensions import db
from portal.institutions.models import Institution
from portal.listings.queries import latest_public, public_listings
from portal.taxonomy.models import Center
from portal.web.blueprint import bp


@bp.route("/")
def home():
    centers = db.session.scalars(select(Center).order_by(Center.position)).all()
    public = public_listings().order_by(None).subquery()
    per_center = dict(db.session.execute(
        select(public.c.center_id, func.count()).group_by(public.c.center_id)).all())
    stats = {
        "listings": sum(per_center.values()),
        "institutions": db.session.scalar(select(func.count()).select_from(Institution)) or 0,
        "countries": db.session.scalar(select(func.count(func.distinct(Institution.country)))) or 0,
    }
    return render_template("web/home.html", centers=centers, per_center=per_center,
                           latest=latest_public(db.session), stats=stats)
