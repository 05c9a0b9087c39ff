"""A listing changes with its institution (see ``portal.changes``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.changes.signals import announce_listing_changed, institution_changed
from portal.listings.models import Listing


@institution_changed.connect
def institution_listings_changed(session: Session, institution_id: int) -> None:
    """Its country is their country facet, its name and type are in their suggestions' reasons."""
    announce_listing_changed(session, session.scalars(
        select(Listing.id).where(Listing.institution_id == institution_id)))
