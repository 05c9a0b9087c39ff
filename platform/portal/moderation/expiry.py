"""The daily expiry job: reminders 30 and 7 days before a listing closes, then expiry.
Safe to run as often as cron likes: each reminder is recorded and sent once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.changes.signals import announce_listing_changed
from portal.listings.models import Listing, ListingStatus
from portal.moderation.models import Action, ExpiryReminder
from portal.moderation.services import record

REMINDER_DAYS = (30, 7)


@dataclass
class ExpiryReport:
    reminded: list[tuple[int, int]] = field(default_factory=list)  # (listing id, days before)
    expired: list[int] = field(default_factory=list)


def run_expiry(session: Session, now: datetime, remind: Callable[[Listing, int], None]) -> ExpiryReport:
    report = ExpiryReport()
    for days in REMINDER_DAYS:
        due = session.scalars(select(Listing).where(
            Listing.status == ListingStatus.PUBLISHED, Listing.expires_at > now,
            Listing.expires_at <= now + timedelta(days=days)))
        for listing in due:
            if _already_reminded(session, listing, days) or _closer_reminder_applies(listing, now, days):
                continue
            try:
                with session.begin_nested():
                    session.add(ExpiryReminder(listing_id=listing.id, days_before=days, expires_at=listing.expires_at))
            except IntegrityError:  # another run got there first
                continue
            remind(listing, days)
            report.reminded.append((listing.id, days))
    for listing in session.scalars(select(Listing).where(Listing.status == ListingStatus.PUBLISHED,
                                                         Listing.expires_at <= now)):
        listing.status = ListingStatus.EXPIRED
        record(session, listing, None, Action.EXPIRED, ListingStatus.PUBLISHED, ListingStatus.EXPIRED)
        announce_listing_changed(session, [listing.id])
        report.expired.append(listing.id)
    session.flush()
    return report


def _already_reminded(session: Session, listing: Listing, days: int) -> bool:
    return session.scalar(select(ExpiryReminder.id).where(
        ExpiryReminder.listing_id == listing.id, ExpiryReminder.days_before == days,
        ExpiryReminder.expires_at == listing.expires_at)) is not None


def _closer_reminder_applies(listing: Listing, now: datetime, days: int) -> bool:
    # A listing 5 days from closing gets the 7-day reminder only, not a late 30-day one too.
    return any(other < days and listing.expires_at <= now + timedelta(days=other) for other in REMINDER_DAYS)
