"""The reader's "Translate" button, the labelled text on the listing page, and the author's draft.

Pressing "Translate" (a POST) asks the service at once, with the short in-request timeout
(TRANSLATION_REQUEST_TIMEOUT_SECONDS), no retries, and not at all while the circuit breaker
is open; if that does not work out, the request is left to the worker and the page says
"translation requested". So a reader usually reads the translation on the next page, and a
slow service costs that one POST a bounded wait. No GET ever calls the service.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.extensions import db
from portal.i18n.routing import current_language
from portal.listings.models import Listing
from portal.listings.permissions import can_view_listing
from portal.machine_translation import services
from portal.machine_translation.client import TranslationError
from portal.web.navigation import get_or_404
from portal.web.sections import section

bp = Blueprint("machine_translation", __name__, template_folder="templates")


@bp.route("/<int:listing_id>/machine-translation", methods=["POST"])
def translate(listing_id: int):
    listing = get_or_404(Listing, listing_id)
    config = current_app.config
    if not services.configured(config) or not can_view_listing(current_user, listing) or not listing.is_public():
        abort(404)
    language = current_language()
    back = redirect(url_for("listings.detail", listing_id=listing.id))
    if listing.translation(language) is not None:
        return back  # a person wrote it: that is what the page shows
    service = services.service_for(config, in_request=True)
    assert service is not None
    try:
        services.translate_now(db.session, listing, language, service)
    except TranslationError:
        flash(_("Translation requested: it will appear on this page shortly."), "info")
    return back


@section("listing_text", "machine_translation/_text.html", order=10)
def machine_text_section(listing: Listing, shown_language: str, page_language: str, requested: str | None,
                         **_facts: object) -> dict | None:
    """On a public listing without a version in the reader's language: the current machine
    translation, labelled (unless the reader asked for a version), or the "Translate" button,
    or word that it was requested. Nothing without a configured service."""
    if shown_language == page_language or requested or not listing.is_public():
        return None
    row = services.stored(db.session, listing.id, page_language)
    if services.is_current(row, listing):
        return {"machine": row, "listing": listing}
    if not services.configured(current_app.config):
        return None
    return {"machine": None, "listing": listing,
            "waiting": services.waiting(db.session, listing, page_language)}


@section("translation_draft", "machine_translation/_draft_note.html")
def draft_from_machine(listing: Listing, language: str, **_facts: object) -> dict | None:
    """The author's form for a new language version starts from the machine translation."""
    return services.promote_draft(db.session, listing, language)
