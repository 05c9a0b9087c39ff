"""The search pages: browsing all listings, and a center's page (the search within one center).

They are registered on the listings' and the taxonomy's blueprints, so their addresses and
endpoint names (``listings.browse``, ``taxonomy.center``) stay with what they show.
"""

from __future__ import annotations

from flask import abort, render_template, request, url_for

from portal.extensions import db
from portal.i18n.routing import current_language
from portal.listings.blueprint import bp as listings_bp
from portal.search.finder import find_listings
from portal.search.search_params import SORTS
from portal.search.vocabulary import PER_PAGE, current_search, search_params
from portal.taxonomy.blueprint import bp as taxonomy_bp
from portal.taxonomy.blueprint import ordered_centers
from portal.web.pagination import Page
from portal.cache.pages import shared_page


@listings_bp.route("/")
@shared_page
def browse():
    index, vocabulary = current_search(current_language())
    params = search_params(vocabulary, request.args.to_dict(flat=False))
    outcome = find_listings(db.session, params, index=index)
    return render_template("listings/browse.html", outcome=outcome, params=params, vocabulary=vocabulary,
                           page=Page.of(params.page, params.per_page, outcome.total), sorts=SORTS)


@taxonomy_bp.route("/<slug>")
@shared_page
def center(slug: str):
    """A center's landing page: its description and the search, limited to its listings."""
    center = next((center for center in ordered_centers() if center.slug == slug), None)  # the header's
    if center is None:
        abort(404)
    index, vocabulary = current_search(current_language())
    params = search_params(vocabulary, request.args.to_dict(flat=False))
    outcome = find_listings(db.session, params, center=center.slug, index=index)
    outcome.facets["centers"] = []  # the page is the center filter
    return render_template("taxonomy/center.html", center=center, topics=vocabulary.topics_of(center.slug),
                           outcome=outcome, params=params,
                           vocabulary=vocabulary, page=Page.of(params.page, PER_PAGE, outcome.total),
                           sorts=SORTS, search_action=url_for("taxonomy.center", slug=center.slug))
