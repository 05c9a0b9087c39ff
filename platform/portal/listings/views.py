"""Read a listing. (Browsing and searching them is ``portal.search.views``.)"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from portal.extensions import db
from portal.i18n.routing import current_language
from portal.listings.blueprint import bp
from portal.listings.models import PARTNER_ROLE_LABELS, TRL_LABELS, Listing, PartnerRole
from portal.listings.permissions import can_view_listing
from portal.listings.queries import related_public
from portal.web.navigation import get_or_404

@bp.route("/<int:listing_id>")
def detail(listing_id: int):
    listing = get_or_404(Listing, listing_id)
    if not can_view_listing(current_user, listing):
        abort(404)  # not 403: an unpublished listing's existence is private too
    return render_detail(listing)


def render_detail(listing: Listing, interest_form=None) -> str:  # noqa: ANN001
    """The listing page; ``interest_form`` carries a rejected expression of interest back."""
    from portal.users.roles import can_moderate
    from portal.listings.services import can_edit_listing
    from portal.matching.labels import describe
    from portal.matching.store import suggested_partners
    from portal.moderation.forms import ReportForm
    from portal.moderation.services import open_revision

    requested = request.args.get("version")
    language = requested if requested in listing.languages else current_language()
    content = listing.content_for(language)
    related = related_public(db.session, listing) if listing.is_public() else []
    can_edit = can_edit_listing(current_user, listing)
    reportable = listing.is_public() and current_user.is_authenticated and not can_edit
    partners = suggested_partners(db.session, listing) if can_edit and listing.is_public() else []
    return render_template("listings/detail.html", listing=listing, content=content,
                           shown_language=content.language, can_edit=can_edit,
                           partners=partners, describe=describe,
                           interest_form=interest_form or _interest_form(listing),
                           can_moderate_listing=can_moderate(current_user, listing.center),
                           pending_revision=open_revision(db.session, listing.id) if can_edit else None,
                           report_form=ReportForm() if reportable else None,
                           related=related)


@bp.app_template_global()
def listing_card_content(listing: Listing):  # noqa: ANN201
    return listing.content_for(current_language())


@bp.app_template_global()
def trl_label(level: int) -> str:
    return str(TRL_LABELS.get(level, level))


@bp.app_template_global()
def partner_role_labels(values: list[str]) -> str:
    return ", ".join(str(PARTNER_ROLE_LABELS[PartnerRole(v)]) for v in values if v in PartnerRole._value2member_map_)


def _interest_form(listing: Listing):  # noqa: ANN202
    from portal.interests.forms import InterestForm
    from portal.interests.services import can_express_interest

    return InterestForm() if can_express_interest(current_user, listing) else None
