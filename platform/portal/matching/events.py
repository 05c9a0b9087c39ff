"""Matching's reading of a listing's texts follows them (see ``portal.changes``): stored after
every change, so the worker's next full build of its index reads it instead of the texts."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.changes.signals import listing_changed
from portal.matching.store import store_analyses


@listing_changed.connect
def analyse_changed(session: Session, listing_ids: list[int]) -> None:
    store_analyses(session, listing_ids)  # drops the analysis of a listing that is gone
