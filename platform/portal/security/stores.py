"""Counter stores shared by every app server: Redis when configured, else the database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.security.models import ThrottleCounter


class RedisCounterStore:
    def __init__(self, client) -> None:  # noqa: ANN001 - a redis.Redis
        self.client = client

    def increment(self, key: str, window_seconds: int) -> int:
        pipe = self.client.pipeline()
        pipe.incr(key)
        pipe.expire(key, window_seconds, nx=True)
        count, _ = pipe.execute()
        return int(count)

    def get(self, key: str) -> tuple[int, int]:
        pipe = self.client.pipeline()
        pipe.get(key)
        pipe.ttl(key)
        count, ttl = pipe.execute()
        if count is None or ttl is None or ttl < 0:
            return (0, 0)
        return int(count), int(ttl)

    def clear(self, key: str) -> None:
        self.client.delete(key)

    def hold(self, key: str, seconds: int) -> None:
        self.client.set(key, 1, ex=max(1, int(seconds)))


class DatabaseCounterStore:
    """Uses the request's session; the counters commit with the request (failed sign-ins
    render a 200 page with the error, so they are committed)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def increment(self, key: str, window_seconds: int) -> int:
        now = utcnow()
        counter = self.session.get(ThrottleCounter, key, with_for_update=True)
        if counter is None:
            counter = ThrottleCounter(key=key, count=0, window_ends_at=now + timedelta(seconds=window_seconds))
            try:
                with self.session.begin_nested():
                    self.session.add(counter)
            except IntegrityError:  # another process created it first
                counter = self.session.get(ThrottleCounter, key, with_for_update=True, populate_existing=True)
        if counter.window_ends_at <= now:
            counter.count = 0
            counter.window_ends_at = now + timedelta(seconds=window_seconds)
        counter.count += 1
        self.session.flush()
        return counter.count

    def get(self, key: str) -> tuple[int, int]:
        row = self.session.execute(
            select(ThrottleCounter.count, ThrottleCounter.window_ends_at).where(ThrottleCounter.key == key)
        ).first()
        if row is None:
            return (0, 0)
        remaining = (row.window_ends_at - utcnow()).total_seconds()
        return (row.count, int(remaining) + 1) if remaining > 0 else (0, 0)

    def clear(self, key: str) -> None:
        self.session.execute(delete(ThrottleCounter).where(ThrottleCounter.key == key))

    def hold(self, key: str, seconds: int) -> None:
        self.increment(key, seconds)
        counter = self.session.get(ThrottleCounter, key)
        counter.count = 1
        counter.window_ends_at = utcnow() + timedelta(seconds=seconds)
        self.session.flush()
