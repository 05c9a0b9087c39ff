"""Read a listing. (Browsing and searching them is ``portal.search.views``.)"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.i18n.routing import current_language
from portal.institutions.models import Institution
from portal.listings.blueprint import bp
from portal.listings.lifecycle import Action, allowed_actions, edits_are_reviewed
from portal.listings.models import PARTNER_ROLE_LABELS, TRL_LABELS, Listing, PartnerRole
from portal.listings.permissions import can_view_listing
from portal.listings.queries import public_listings_of
from portal.listings.pages import render_detail
from portal.web.navigation import get_or_404
from portal.web.sections import section
from portal.cache.pages import shared_page


@bp.route("/<int:listing_id>")
@shared_page
def detail(listing_id: int):
    # What the page shows, in the same query (the texts and topics follow in one each).
    listing = get_or_404(Listing, listing_id, options=[joinedload(Listing.institution), joinedload(Listing.center)])
    if not can_view_listing(current_user, listing):
        abort(404)  # not 403: an unpublished listing's existence is private too
    return render_detail(listing)


@bp.app_template_global()
def listing_actions(listing: Listing) -> frozenset[Action]:
    """What the current user may do with ``listing`` now: the buttons a page shows."""
    return allowed_actions(current_user, listing)


@bp.app_template_global()
def listing_edits_reviewed(listing: Listing) -> bool:
    return edits_are_reviewed(listing)


@bp.app_template_global()
def listing_card_content(listing: Listing):  # noqa: ANN201
    return listing.content_for(current_language())


@bp.app_template_global()
def trl_label(level: int) -> str:
    return str(TRL_LABELS.get(level, level))


@bp.app_template_global()
def partner_role_labels(values: list[str]) -> str:
    return ", ".join(str(PARTNER_ROLE_LABELS[PartnerRole(v)]) for v in values if v in PartnerRole._value2member_map_)


@section("institution", "listings/_institution_section.html", order=10)
def institution_listings_section(institution: Institution, **_facts: object) -> dict:
    """An institution's page lists its open offers and requests."""
    return {"listings": public_listings_of(db.session, institution.id)}
