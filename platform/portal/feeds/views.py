from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, url_for
from sqlalchemy import select

from portal.extensions import db
from portal.listings.models import Listing
from portal.listings.queries import public_listings
from portal.partnerships.queries import latest_public as latest_projects
from portal.taxonomy.models import Center

bp = Blueprint("feeds", __name__, template_folder="templates")
FEED_SIZE = 50


def _feed(center: Center | None):  # noqa: ANN202
    query = public_listings()
    if center is not None:
        query = query.where(Listing.center_id == center.id)
    listings = db.session.scalars(query.order_by(Listing.published_at.desc(), Listing.id.desc())
                                  .limit(FEED_SIZE)).all()
    self_url = (url_for("feeds.center", slug=center.slug, _external=True) if center
                else url_for("feeds.all_listings", _external=True))
    body = render_template("feeds/listings.xml", listings=listings, center=center, self_url=self_url,
                           updated=max((item.published_at for item in listings), default=None))
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    return response


@bp.route("/listings.atom")
def all_listings():
    return _feed(None)


@bp.route("/centers/<slug>.atom")
def center(slug: str):
    found = db.session.scalar(select(Center).where(Center.slug == slug[:64]))
    if found is None:
        abort(404)
    return _feed(found)


# Partnership projects: published ones only, newest first, overall and per center.

def _projects_feed(center: Center | None):  # noqa: ANN202
    projects = latest_projects(db.session, limit=FEED_SIZE, center_id=center.id if center else None)
    self_url = (url_for("feeds.center_projects", slug=center.slug, _external=True) if center
                else url_for("feeds.all_projects", _external=True))
    body = render_template("feeds/projects.xml", projects=projects, center=center, self_url=self_url,
                           updated=max((project.published_at for project in projects), default=None))
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    return response


@bp.route("/projects.atom")
def all_projects():
    return _projects_feed(None)


@bp.route("/centers/<slug>/projects.atom")
def center_projects(slug: str):
    found = db.session.scalar(select(Center).where(Center.slug == slug[:64]))
    if found is None:
        abort(404)
    return _projects_feed(found)
