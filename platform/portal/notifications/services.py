"""Notifications without Flask: preferences, the centre's reads, and claiming digests.

The digest job claims a member's digest for a period by inserting its row; the unique key
(member, frequency, period) lets exactly one run win, so a second run, even a concurrent
one, sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.notifications.kinds import CHOOSABLE, Frequency, Kind, digest_period, frequency_for
from portal.notifications.models import Digest, Notification, NotificationPreference


def preferences(session: Session, user_id: int) -> dict[Kind, Frequency]:
    chosen = {row.kind: row.frequency for row in session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user_id))}
    return {kind: frequency_for(kind, chosen) for kind in CHOOSABLE}


def set_preferences(session: Session, user_id: int, choices: dict[Kind, Frequency]) -> None:
    rows = {row.kind: row for row in session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user_id))}
    for kind, frequency in choices.items():
        if kind not in CHOOSABLE:
            continue
        if kind in rows:
            rows[kind].frequency = frequency
        else:
            session.add(NotificationPreference(user_id=user_id, kind=kind, frequency=frequency))
    session.flush()


def record(session: Session, user_id: int, kind: Kind, delivery: Frequency, *, listing_id: int | None = None,
           interest_id: int | None = None, saved_search_id: int | None = None, data: dict | None = None,
           now: datetime | None = None) -> Notification:
    notification = Notification(user_id=user_id, kind=kind, delivery=delivery, listing_id=listing_id,
                                interest_id=interest_id, saved_search_id=saved_search_id, data=data or {},
                                created_at=now or utcnow())
    session.add(notification)
    session.flush()
    return notification


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def mark_read(session: Session, user_id: int, ids: Iterable[int] | None = None) -> int:
    """Only ever the member's own notifications; ``ids=None`` marks them all."""
    statement = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        statement = statement.where(Notification.id.in_(list(ids)))
    return session.execute(statement.values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount


def digest_candidates(session: Session, frequency: Frequency, now: datetime) -> list[int]:
    """Members with notifications waiting for this frequency's digest."""
    return list(session.scalars(select(Notification.user_id).where(
        Notification.delivery == frequency, Notification.digest_id.is_(None), Notification.created_at <= now)
        .distinct()))


def claim_digest(session: Session, user_id: int, frequency: Frequency, now: datetime) -> Digest | None:
    """The member's digest for this period, or None when a run has already claimed it."""
    period = digest_period(frequency, now)
    if session.scalar(select(Digest.id).where(Digest.user_id == user_id, Digest.frequency == frequency,
                                              Digest.period_start == period)) is not None:
        return None
    try:
        with session.begin_nested():
            digest = Digest(user_id=user_id, frequency=frequency, period_start=period, created_at=now)
            session.add(digest)
    except IntegrityError:  # a concurrent run claimed it first
        return None
    return digest


def take_waiting(session: Session, digest: Digest, now: datetime) -> list[Notification]:
    """Attach the waiting notifications to ``digest`` (only those no other digest took)."""
    session.execute(update(Notification).where(
        Notification.user_id == digest.user_id, Notification.delivery == digest.frequency,
        Notification.digest_id.is_(None), Notification.created_at <= now)
        .values(digest_id=digest.id).execution_options(synchronize_session=False))
    return list(session.scalars(select(Notification).where(Notification.digest_id == digest.id)
                                .order_by(Notification.created_at)))
