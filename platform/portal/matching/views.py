"""Suggested partners on a listing's page, for the institution that owns it."""

from __future__ import annotations

from flask import Blueprint

from portal.extensions import db
from portal.listings.lifecycle import Action
from portal.listings.models import Listing
from portal.matching.labels import describe
from portal.matching.store import suggested_partners
from portal.web.sections import section

bp = Blueprint("matching", __name__, template_folder="templates")  # templates only, no routes


@section("listing", "matching/_listing_section.html", order=20)
def partners_section(listing: Listing, actions: frozenset[Action], **_facts: object) -> dict | None:
    if not (Action.MANAGE in actions and listing.is_public()):
        return None  # only the owners see who fits, and only once the listing is public
    partners = suggested_partners(db.session, listing)
    return {"partners": partners, "describe": describe} if partners else None
