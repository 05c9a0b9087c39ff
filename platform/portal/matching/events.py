"""Suggested partners follow a listing when web requests compute them (``MATCHING_IN_REQUESTS``);
otherwise the worker does, from the change log (``matching.follow``). See ``portal.changes``."""

from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from portal.changes.signals import listing_changed
from portal.matching.follow import rematch_listings


@listing_changed.connect
def rematch_changed_listings(session: Session, listing_ids: list[int]) -> None:
    if not has_app_context() or current_app.config.get("MATCHING_IN_REQUESTS", True):
        rematch_listings(session, listing_ids)
