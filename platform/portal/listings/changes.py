"""What follows any change to a listing: its search document and its suggested partners."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.listings.models import Listing


def listing_changed(session: Session, listing: Listing) -> None:
    from portal.matching.store import refresh_matches
    from portal.search.index import reindex_listing

    reindex_listing(session, listing.id)
    refresh_matches(session, listing)
