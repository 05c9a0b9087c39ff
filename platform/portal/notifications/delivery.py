"""Telling a member something: a notification in the centre, and an email now or in a digest,
as the member chose. Emails are written in the recipient's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.users.models import User
from portal.database import utcnow
from portal.extensions import db
from portal.listings.models import Listing
from portal.mail.service import send_to_user
from portal.notifications import services
from portal.notifications.kinds import Frequency, Kind
from portal.notifications.models import Notification
from portal.notifications.texts import describe, target
from portal.saved_searches import services as saved_searches
from portal.search.finder import find_listings
from portal.search.search_params import parse_params
from portal.search.vocabulary import SearchVocabulary
from portal.saved_searches.models import Alert, SavedSearch

if TYPE_CHECKING:
    from portal.interests.models import Interest  # interests sit above notifications

DIGEST_SUBJECTS = {Frequency.DAILY: _l("Your daily summary"), Frequency.WEEKLY: _l("Your weekly summary")}
LISTINGS_PER_SEARCH = 10


def notify(user: User, kind: Kind, *, listing: Listing | None = None, interest: Interest | None = None,
           data: dict | None = None, email: Callable[[], object] | None = None) -> Notification | None:
    """Record a notification for ``user``; ``email`` sends it at once when that is the choice."""
    frequency = services.preferences(db.session, user.id).get(kind, Frequency.IMMEDIATELY)
    if frequency == Frequency.OFF:
        return None
    notification = services.record(db.session, user.id, kind, frequency,
                                   listing_id=listing.id if listing else None,
                                   interest_id=interest.id if interest else None, data=data)
    if frequency == Frequency.IMMEDIATELY and email is not None:
        email()
        notification.emailed_at = utcnow()
    return notification


@dataclass
class DigestReport:
    sent: list[int] = field(default_factory=list)  # member ids
    already_sent: int = 0
    nothing_new: int = 0


def send_digests(frequency: Frequency, now: datetime | None = None) -> DigestReport:
    """One digest per member for the current day or week: waiting notifications, and new
    listings for the member's saved searches with this alert. Safe to run again."""
    now = now or utcnow()
    session = db.session
    report = DigestReport()
    members = set(services.digest_candidates(session, frequency, now))
    members |= set(saved_searches.users_with_alerts(session, Alert(frequency.value)))
    for user_id in sorted(members):
        user = session.get(User, user_id)
        digest = services.claim_digest(session, user_id, frequency, now) if user else None
        if digest is None:
            report.already_sent += 1
            continue
        items = services.take_waiting(session, digest, now)
        searches = []
        for saved in saved_searches.with_alert(session, user_id, Alert(frequency.value)):
            total, listings = _new_for(saved, user, now)
            saved.checked_at = now
            if total:
                notification = services.record(
                    session, user_id, Kind.SAVED_SEARCH, frequency, saved_search_id=saved.id, now=now,
                    data={"count": total, "listings": [listing.id for listing in listings]})
                notification.digest_id = digest.id
                searches.append((saved, total, listings))
        digest.items = len(items) + len(searches)
        if not digest.items:
            report.nothing_new += 1
            continue
        send_to_user(session, user, "digest", DIGEST_SUBJECTS[frequency], frequency=frequency.value,
                     items=items, searches=searches, describe=describe, notification_link=target)
        report.sent.append(user_id)
    session.flush()
    return report


def _new_for(saved: SavedSearch, user: User, now: datetime) -> tuple[int, list[Listing]]:
    args = saved_searches.query_args(saved)
    args["sort"] = ["newest"]
    params = parse_params(args, allowed=SearchVocabulary(user.preferred_language).allowed(),
                          per_page=LISTINGS_PER_SEARCH)
    outcome = find_listings(db.session, params, now=now, published_after=saved.checked_at)
    return outcome.total, outcome.listings


def recent(user_id: int, limit: int, offset: int = 0) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user_id)
                                   .order_by(Notification.created_at.desc(), Notification.id.desc())
                                   .offset(offset).limit(limit)))
