"""The search document follows its listing (see ``portal.changes``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.changes.signals import listing_changed
from portal.search.index import reindex_listing


@listing_changed.connect
def reindex_changed(session: Session, listing_ids: list[int]) -> None:
    for listing_id in listing_ids:
        reindex_listing(session, listing_id)  # removes it from the index if it is gone
