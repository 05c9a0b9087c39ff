"""The listing page, rendered for the listings' own view and for others that answer on it (a
rejected expression of interest comes back to the page with what was typed)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from portal.extensions import db
from portal.i18n.routing import current_language
from portal.listings.history import open_revision
from portal.listings.lifecycle import Action, allowed_actions
from portal.listings.models import Listing
from portal.listings.queries import related_public
from portal.web.sections import sections


def render_detail(listing: Listing, **answers: object) -> str:
    """``answers`` go to the page's sections: ``interest_form`` carries a rejected expression
    of interest back to the interests' section."""
    requested = request.args.get("version")
    language = requested if requested in listing.languages else current_language()
    content = listing.content_for(language)
    actions = allowed_actions(current_user, listing)
    manages = Action.MANAGE in actions
    return render_template(
        "listings/detail.html", listing=listing, content=content, shown_language=content.language,
        actions=actions, pending_revision=open_revision(db.session, listing.id) if manages else None,
        related=related_public(db.session, listing) if listing.is_public() else [],
        page_sections=sections("listing", listing=listing, actions=actions, **answers),
        # Another feature's text where the reader's language has none (machine translation).
        text_sections=sections("listing_text", listing=listing, shown_language=content.language,
                               page_language=current_language(), requested=requested))
