"""Suggestions for changed listings: the step the worker repeats (``worker.passes``, and
``flask listings match --follow``). Web requests never call it: they only record their changes
in the log (see ``portal.changes``), and the worker computes the suggestions a few seconds later."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from portal.changes.log import Followed, current_token
from portal.changes.signals import matches_found
from portal.listings.models import Listing
from portal.matching.store import forget, refresh_all, refresh_matches


def rematch_listings(session: Session, listing_ids: Iterable[int]) -> None:
    """Refresh these listings' suggestions; strong new ones are announced (``matches_found``)
    to the receivers at once, in this transaction."""
    new_matches = []
    for listing_id in listing_ids:
        listing = session.get(Listing, listing_id)
        if listing is None:
            forget(session, listing_id)
        else:
            new_matches.extend(refresh_matches(session, listing))
    if new_matches:
        matches_found.send(session, pairs=new_matches)  # in this transaction, with the matches


def rematch_changed(session: Session, followed: Followed) -> tuple[Followed, int]:
    """The worker's step: suggestions for every listing changed since ``followed`` (all of
    them again when that cannot be known). Returns where it got, and how many."""
    caught = followed.catch_up(session)
    if caught is None:  # the whole index was rebuilt, or this worker fell too far behind
        count = refresh_all(session)
        return Followed(current_token(session)), count
    latest, changed = caught
    rematch_listings(session, changed)
    followed.moved(latest, changed)
    return followed, len(changed)
