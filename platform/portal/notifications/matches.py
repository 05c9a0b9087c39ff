"""News of strong new suggested partners, for the institutions whose listings they fit."""

from __future__ import annotations

from collections import defaultdict
from contextlib import nullcontext
from functools import partial

from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.institutions.services import spokespeople
from portal.listings.models import Listing
from portal.mail.service import send_to_user
from portal.notifications.delivery import notify
from portal.notifications.kinds import Kind

SUBJECT = _l("New suggested partners for your listing")


def tell_about_new_matches(session: Session, pairs: list[tuple[int, int]]) -> None:
    """``pairs`` are (listing id, partner id): the listing's institution hears of the partner."""
    partners_of: dict[int, list[int]] = defaultdict(list)
    for listing_id, partner_id in pairs:
        partners_of[listing_id].append(partner_id)
    wanted = set(partners_of) | {partner for partners in partners_of.values() for partner in partners}
    listings = {listing.id: listing for listing in session.scalars(
        select(Listing).where(Listing.id.in_(wanted))
        .options(selectinload(Listing.author), selectinload(Listing.institution), selectinload(Listing.translations)))}
    # A publication can be strong news for many listings of one institution: ask once.
    told: dict[tuple[int, int | None], list] = {}
    # Outside a request (a CLI job) links point at the configured public address.
    context = (nullcontext() if has_request_context()
               else current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]))
    with context:
        for listing_id, partner_ids in partners_of.items():
            listing = listings[listing_id]
            partners = [listings[partner_id] for partner_id in partner_ids]
            audience = (listing.institution_id, listing.author_id)
            if audience not in told:
                told[audience] = spokespeople(session, listing.institution_id, listing.author)
            for user in told[audience]:
                language = user.preferred_language
                notify(user, Kind.NEW_MATCHES, listing=listing, data={"count": len(partners), "partners": partner_ids},
                       email=partial(send_to_user, session, user, "new_matches", SUBJECT,
                                     title=listing.content_for(language).title,
                                     partners=[(p.content_for(language).title, p.institution.name) for p in partners],
                                     link=url_for("listings.detail", listing_id=listing.id, lang_code=language,
                                                  _external=True) + "#partners-heading"))
