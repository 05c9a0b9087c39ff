"""Figures for the moderation dashboard. Plain functions over the audit trail."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.listings.models import Listing
from portal.moderation.models import Action, ListingEvent

DECISIONS = (Action.APPROVED, Action.CHANGES_REQUESTED, Action.REJECTED)


@dataclass(frozen=True)
class Dashboard:
    decisions_by_type: dict[Action, int]
    median_hours_to_decision: float | None
    decided: int


def dashboard(session: Session, now: datetime, center_ids: list[int] | None, days: int = 30) -> Dashboard:
    since = now - timedelta(days=days)
    scoped = select(ListingEvent).join(Listing, Listing.id == ListingEvent.listing_id)
    if center_ids is not None:
        scoped = scoped.where(Listing.center_id.in_(center_ids))
    by_type = _count_by_action(session, scoped, since)
    return Dashboard(decisions_by_type={action: by_type.get(action, 0) for action in DECISIONS},
                     median_hours_to_decision=_median_wait(session, scoped, since),
                     decided=sum(by_type.get(action, 0) for action in DECISIONS))


def _count_by_action(session: Session, scoped, since: datetime) -> dict[Action, int]:  # noqa: ANN001
    counts: dict[Action, int] = {}
    for event in session.scalars(scoped.where(ListingEvent.at >= since, ListingEvent.action.in_(DECISIONS))):
        counts[event.action] = counts.get(event.action, 0) + 1
    return counts


def _median_wait(session: Session, scoped, since: datetime) -> float | None:  # noqa: ANN001
    """Hours from each submission to the decision that followed it."""
    events = session.scalars(scoped.where(ListingEvent.at >= since - timedelta(days=60))
                             .order_by(ListingEvent.listing_id, ListingEvent.at, ListingEvent.id)).all()
    waits: list[float] = []
    waiting_since: dict[int, datetime] = {}
    for event in events:
        if event.action in (Action.SUBMITTED, Action.REVISION_SUBMITTED):
            waiting_since.setdefault(event.listing_id, event.at)
        elif event.action in DECISIONS and event.listing_id in waiting_since:
            started = waiting_since.pop(event.listing_id)
            if event.at >= since:
                waits.append((event.at - started).total_seconds() / 3600)
    return statistics.median(waits) if waits else None
