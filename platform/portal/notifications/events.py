"""News of strong new matches, for the institutions concerned (see ``portal.changes``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.changes.signals import matches_found
from portal.notifications.matches import tell_about_new_matches


@matches_found.connect
def tell_institutions(session: Session, pairs: list[tuple[int, int]]) -> None:
    tell_about_new_matches(session, pairs)
