from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from sqlalchemy import select

from portal.extensions import db
from portal.i18n.routing import current_language
from portal.listings.finder import find_listings
from portal.listings.search_params import SORTS
from portal.listings.views import PER_PAGE, SearchVocabulary, search_params
from portal.taxonomy.models import Center
from portal.web.pagination import Page

bp = Blueprint("taxonomy", __name__, template_folder="templates")


@bp.route("/<slug>")
def center(slug: str):
    """A center's landing page: its description and the search, limited to its listings."""
    center = db.session.scalar(select(Center).where(Center.slug == slug[:64]))
    if center is None:
        abort(404)
    vocabulary = SearchVocabulary(current_language())
    params = search_params(vocabulary)
    outcome = find_listings(db.session, params, center=center.slug)
    outcome.facets["centers"] = []  # the page is the center filter
    return render_template("taxonomy/center.html", center=center, outcome=outcome, params=params,
                           vocabulary=vocabulary, page=Page.of(params.page, PER_PAGE, outcome.total),
                           sorts=SORTS, search_action=url_for("taxonomy.center", slug=center.slug))
