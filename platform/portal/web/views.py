from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from sqlalchemy import func, select, text

from portal.extensions import db
from portal.i18n.routing import negotiate_language
from portal.institutions.models import Institution
from portal.listings.queries import latest_public, public_listings
from portal.taxonomy.models import Center

bp = Blueprint("web", __name__)
root = Blueprint("root", __name__)


@root.route("/")
def choose_language():
    return redirect(url_for("web.home", lang_code=negotiate_language()))


@root.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        return jsonify({"status": "error", "database": type(error).__name__}), 503
    return jsonify({"status": "ok", "database": "ok"})


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
