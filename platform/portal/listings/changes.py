"""What follows any change to a listing: its search document, its suggested partners, and
news of strong new matches for the institutions concerned."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.listings.models import Listing
from portal.search.state import Followed


def listing_changed(session: Session, listing: Listing) -> None:
    from flask import current_app, has_app_context

    from portal.search.index import reindex_listing
    from portal.subjects.services import annotate_listing

    if session.get(Listing, listing.id) is not None:
        annotate_listing(session, listing)  # what the listing is about, before it is indexed
    reindex_listing(session, listing.id)  # also records the change for every process's indexes
    if not has_app_context() or current_app.config.get("MATCHING_IN_REQUESTS", True):
        rematch(session, listing)


def rematch_changed(session: Session, followed: Followed) -> tuple[Followed, int]:
    """The matching worker's step: suggestions for every listing changed since ``followed``
    (all of them again when that cannot be known). Returns where it got, and how many."""
    from portal.listings.models import Listing
    from portal.matching.store import forget, refresh_all
    from portal.search.state import current_token

    caught = followed.catch_up(session)
    if caught is None:  # the whole index was rebuilt, or this worker fell too far behind
        count = refresh_all(session)
        return Followed(current_token(session)), count
    latest, changed = caught
    for listing_id in changed:
        listing = session.get(Listing, listing_id)
        if listing is None:
            forget(session, listing_id)
        else:
            rematch(session, listing)
    followed.moved(latest, changed)
    return followed, len(changed)


def rematch(session: Session, listing: Listing) -> None:
    """Suggested partners of a changed listing, and news of strong new ones."""
    from portal.matching.store import refresh_matches
    from portal.notifications.matches import tell_about_new_matches

    new_matches = refresh_matches(session, listing)
    if new_matches:
        tell_about_new_matches(session, new_matches)
