"""What follows any change to a listing: its search document, its suggested partners, and
news of strong new matches for the institutions concerned."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.listings.models import Listing


def listing_changed(session: Session, listing: Listing) -> None:
    from portal.matching.store import refresh_matches
    from portal.notifications.matches import tell_about_new_matches
    from portal.search.index import reindex_listing

    reindex_listing(session, listing.id)
    new_matches = refresh_matches(session, listing)
    if new_matches:
        tell_about_new_matches(session, new_matches)
