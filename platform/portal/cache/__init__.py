"""Short-lived values shared by every app process: Redis when ``REDIS_URL`` is set, else a row
of the database. What one process computed, the others read until it expires, so two servers
never show different figures for longer than that (the home page's counts, for instance)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from portal.cache.models import CachedValue
from portal.database import utcnow
from portal.extensions import db, redis_client

T = TypeVar("T")
log = logging.getLogger(__name__)


def shared(key: str, seconds: int, compute: Callable[[], T]) -> T:
    """``compute()``'s value (anything JSON can hold), computed at most once per ``seconds`` by
    all processes together (a few at once when they miss it together: harmless)."""
    client = redis_client()
    if client is not None:
        try:
            found = client.get(f"portal:cache:{key}")
        except RedisError as error:  # the page still answers, computing the value itself
            log.warning("shared cache unavailable, computing %s: %s", key, error)
            return compute()
        if found is not None:
            return json.loads(found)
        value = compute()
        try:
            client.set(f"portal:cache:{key}", json.dumps(value), ex=seconds)
        except RedisError as error:
            log.warning("shared cache unavailable, %s not stored: %s", key, error)
        return value
    found = _database_get(db.session, key)
    if found is not None:
        return found
    value = compute()
    _database_put(db.session, key, value, seconds)
    return value


def peek(key: str) -> object | None:
    """The shared value if one is stored and fresh, else None (nothing is computed)."""
    client = redis_client()
    if client is not None:
        found = client.get(f"portal:cache:{key}")
        return None if found is None else json.loads(found)
    return _database_get(db.session, key)


def put(key: str, value: object, seconds: int) -> None:
    """Store a value computed ahead (by the worker) for every process, for ``seconds``."""
    client = redis_client()
    if client is not None:
        client.set(f"portal:cache:{key}", json.dumps(value), ex=seconds)
    else:
        _database_put(db.session, key, value, seconds)


def _database_get(session: Session, key: str) -> object | None:
    row = session.execute(select(CachedValue.value).where(CachedValue.key == key,
                                                          CachedValue.expires_at > utcnow())).first()
    return None if row is None else row[0]


def upserting_insert(session: Session, model: type) -> Insert:
    """An INSERT into ``model``'s table that can take ON CONFLICT (both databases have it)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def _database_put(session: Session, key: str, value: object, seconds: int) -> None:
    """Upsert: the request commits it; a concurrent writer just waits for the row's lock."""
    values = {"key": key, "value": value, "expires_at": utcnow() + timedelta(seconds=seconds)}
    statement = upserting_insert(session, CachedValue).values(**values)
    session.execute(statement.on_conflict_do_update(
        index_elements=[CachedValue.key],
        set_={"value": statement.excluded.value, "expires_at": statement.excluded.expires_at}))
