"""The statistics pages (the portal's, a center's) and their CSV and JSON downloads."""

from __future__ import annotations

import json
from datetime import datetime

from flask import Blueprint, Response, abort, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal.extensions import db
from portal.statistics import charts, open_data
from portal.statistics.figures import figures_for
from portal.statistics.registry import registered
from portal.taxonomy.blueprint import ordered_centers
from portal.taxonomy.models import Center

bp = Blueprint("statistics", __name__, template_folder="templates")
#: Not localized: pygal's stylesheet for the charts, the same for every page (CSP: no inline style).
assets = Blueprint("statistics_assets", __name__)


def _center(slug: str | None) -> Center | None:
    if slug is None:
        return None
    center = db.session.scalar(select(Center).where(Center.slug == slug))
    if center is None:
        abort(404)
    return center


def _figures(center: Center | None) -> dict:
    return figures_for(db.session, center.id if center else None, center.slug if center else "all")


@bp.route("/")
@bp.route("/<slug>/")
def overview(slug: str | None = None):
    center = _center(slug)
    figures = _figures(center)
    language = str(get_locale() or "en")
    computed, shown = figures["figures"], []
    for figure in registered():
        if figure.key not in computed:
            continue
        presentation = figure.present(computed[figure.key])
        svg = None
        if presentation.chart is not None:
            svg = charts.render(presentation.chart, f"chart-{presentation.key}", presentation.title,
                                presentation.summary, _("No data yet"),
                                cache_key=(figures["generated_at"], slug or "", language, figure.key))
        shown.append((presentation, svg))
    return render_template("statistics/overview.html", center=center, centers=ordered_centers(), shown=shown,
                           generated_at=datetime.fromisoformat(figures["generated_at"]),
                           stylesheet=url_for("statistics_assets.stylesheet", v=charts.stylesheet_version()))


def _download(slug: str | None, extension: str) -> Response:
    center = _center(slug)
    figures = _figures(center)
    name = f"statistics-{slug or 'all'}.{extension}"
    if extension == "csv":
        response = Response(open_data.as_csv(figures, slug), mimetype="text/csv")
    else:
        response = Response(json.dumps(open_data.payload(figures, slug), ensure_ascii=False, indent=1),
                            mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/statistics.csv")
@bp.route("/<slug>/statistics.csv")
def download_csv(slug: str | None = None):
    return _download(slug, "csv")


@bp.route("/statistics.json")
@bp.route("/<slug>/statistics.json")
def download_json(slug: str | None = None):
    return _download(slug, "json")


@assets.route("/charts/pygal.css")
def stylesheet():
    response = Response(charts.stylesheet(), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
