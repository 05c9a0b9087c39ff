"""Subjects follow a listing's text: re-annotated after every change (see ``portal.changes``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.changes.signals import listing_changed
from portal.listings.models import Listing
from portal.subjects.services import annotate_listing


@listing_changed.connect
def annotate_changed(session: Session, listing_ids: list[int]) -> None:
    for listing_id in listing_ids:
        listing = session.get(Listing, listing_id)
        if listing is not None:
            annotate_listing(session, listing)
