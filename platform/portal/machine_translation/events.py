"""Machine translations follow their listing's original (see ``portal.changes``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.changes.signals import listing_changed
from portal.machine_translation.services import follow_change


@listing_changed.connect
def machine_translations_follow(session: Session, listing_ids: list[int]) -> None:
    follow_change(session, listing_ids)
