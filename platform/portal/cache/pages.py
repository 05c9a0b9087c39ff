"""Public pages rendered once for every anonymous visitor and every process (issue 12).

A GET of a view marked ``@shared_page`` from a visitor who carries no session, no "keep me signed
in" cookie and no Authorization header is answered from a shared store when the same address,
asked with the same Accept-Encoding, was rendered less than ``PAGE_CACHE_SECONDS`` ago and no
public content has changed since. The store is Redis when ``REDIS_URL`` is set, else the
``cached_pages`` table; either way every app process and server reads what one of them rendered.
Signed-in people, and anything a view answers with a cookie of its own, are never cached.

"No public content has changed since": a committed change to any table that pages may show
advances the store's *generation*, and an entry rendered in an older generation is never served.
On the database the advance is written in the changing transaction itself, so it becomes visible
exactly when the change does; with Redis it follows the commit. ``QUIET_TABLES`` lists the
tables whose changes advance nothing: private ones, and those whose effect on pages may follow
within the expiry anyway (suggested partners, search bookkeeping, notifications, sessions).
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from itertools import chain
from typing import TypeVar

from flask import Flask, Response, current_app, g, has_app_context, request, session
from redis.exceptions import RedisError
from sqlalchemy import delete, event, select
from sqlalchemy.orm import ORMExecuteState, Session

from portal.cache import upserting_insert
from portal.cache.models import CachedPage, CachedValue
from portal.database import utcnow
from portal.extensions import db, redis_client

F = TypeVar("F", bound=Callable)
log = logging.getLogger(__name__)

GENERATION_KEY = "generation"
_REDIS_PREFIX = "portal:page:"
_NEVER = datetime(9999, 1, 1, tzinfo=UTC)
_CHANGED = "portal.public_content_changed"
# Headers a stored page does not keep: recomputed, or about one visitor.
_UNSTORED_HEADERS = frozenset({"set-cookie", "content-length", "date"})

QUIET_TABLES = frozenset({
    CachedPage.__tablename__, CachedValue.__tablename__,
    "expiry_reminders", "interest_messages", "listing_matches", "listing_reports", "listing_revisions",
    "match_texts", "notification_digests", "notification_preferences", "notifications",
    "outbox_messages", "saved_searches", "search_changes", "search_state", "throttle_counters",
    "user_sessions", "worker_positions",
})


def shared_page(view: F) -> F:
    """Serve this view's page from the shared store to visitors who are not signed in."""

    @wraps(view)
    def cached_view(*args: object, **kwargs: object) -> object:
        if not _anonymous_get():
            return view(*args, **kwargs)
        key = _key()
        try:
            generation, found = _lookup(key)
        except RedisError as error:  # pages go on, rendered for each visitor
            log.warning("page cache unavailable, rendering the page: %s", error)
            return view(*args, **kwargs)
        if found is not None:
            headers, body = found
            response = Response(body, status=200, headers=headers)
            response.headers["X-Page-Cache"] = "hit"
            return response
        g.shared_page = (key, generation)
        return view(*args, **kwargs)

    return cached_view  # type: ignore[return-value]


def init_app(app: Flask) -> None:
    """Register before the compression, so that pages are stored as they are sent."""

    @app.after_request
    def store_page(response: Response) -> Response:
        slot = g.pop("shared_page", None)
        if slot is None:
            return response
        response.headers["X-Page-Cache"] = "miss"
        if (response.status_code == 200 and not response.is_streamed and not session.modified
                and "Set-Cookie" not in response.headers):
            key, generation = slot
            headers = [(name, value) for name, value in response.headers.items()
                       if name.lower() not in _UNSTORED_HEADERS]
            try:
                _store(key, generation, headers, response.get_data())
            except RedisError as error:
                log.warning("page cache unavailable, page not stored: %s", error)
        return response


def _seconds() -> int:
    return int(current_app.config.get("PAGE_CACHE_SECONDS") or 0)


def _anonymous_get() -> bool:
    if request.method != "GET" or _seconds() <= 0 or "Authorization" in request.headers:
        return False
    cookies = request.cookies
    return not (cookies.get(current_app.config.get("SESSION_COOKIE_NAME", "session"))
                or cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")))


def _key() -> str:
    encodings = request.headers.get("Accept-Encoding", "").replace(" ", "").lower()
    return hashlib.sha256(f"{encodings}\n{request.full_path}".encode()).hexdigest()


# --- the store -------------------------------------------------------------------------------

def _lookup(key: str) -> tuple[int, tuple[list, bytes] | None]:
    """The current generation, and the page stored under ``key`` if it belongs to it."""
    client = redis_client()
    if client is not None:
        raw_generation, entry = client.mget([_REDIS_PREFIX + GENERATION_KEY, _REDIS_PREFIX + key])
        generation = int(raw_generation or 0)
        if entry is None:
            return generation, None
        stored_generation, headers, body = entry.split(b"\n", 2)
        if int(stored_generation) != generation:
            return generation, None
        return generation, (json.loads(headers), body)
    rows = {row.key: row for row in db.session.execute(
        select(CachedPage.key, CachedPage.generation, CachedPage.headers, CachedPage.body)
        .where(CachedPage.key.in_([GENERATION_KEY, key]), CachedPage.expires_at > utcnow()))}
    generation = rows[GENERATION_KEY].generation if GENERATION_KEY in rows else 0
    page = rows.get(key)
    if page is None or page.generation != generation:
        return generation, None
    return generation, (json.loads(page.headers), page.body)


def _store(key: str, generation: int, headers: list, body: bytes) -> None:
    seconds = _seconds()
    client = redis_client()
    if client is not None:
        entry = b"%d\n%s\n%s" % (generation, json.dumps(headers).encode(), body)
        client.set(_REDIS_PREFIX + key, entry, ex=seconds)
        return
    session = db.session
    now = utcnow()
    values = {"key": key, "generation": generation, "headers": json.dumps(headers), "body": body,
              "expires_at": now + timedelta(seconds=seconds)}
    statement = upserting_insert(session, CachedPage).values(**values)
    session.execute(statement.on_conflict_do_update(index_elements=[CachedPage.key], set_={
        name: statement.excluded[name] for name in ("generation", "headers", "body", "expires_at")}))
    if random.random() < 0.01:  # now and then, the expired pages go (the request commits)
        session.execute(delete(CachedPage).where(CachedPage.expires_at <= now,
                                                 CachedPage.key != GENERATION_KEY))


# --- advancing the generation ----------------------------------------------------------------
# A change marks its session; the generation advances as the transaction commits. On the database
# its row is the transaction's last lock: a transaction waiting for it holds no lock the holder
# (already committing) could want, so it adds no deadlock.

def _shown(table_name: str) -> bool:
    return table_name not in QUIET_TABLES


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush_context: object) -> None:
    changed = chain(session.new, session.dirty, session.deleted)
    if any(_shown(getattr(type(obj), "__tablename__", "")) for obj in changed):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _after_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None and _shown(table.name):
            state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if not has_app_context() or _seconds() <= 0:
        return
    session.flush()  # what is still pending marks the session too
    if session.info.get(_CHANGED) and redis_client() is None:  # visible when the change is
        statement = upserting_insert(session, CachedPage).values(
            key=GENERATION_KEY, generation=1, headers="", body=b"", expires_at=_NEVER)
        session.connection().execute(statement.on_conflict_do_update(
            index_elements=[CachedPage.key], set_={"generation": CachedPage.generation + 1}))


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False) and has_app_context() and _seconds() > 0:
        client = redis_client()
        if client is not None:
            try:
                client.incr(_REDIS_PREFIX + GENERATION_KEY)
            except RedisError:  # the change is committed; cached pages may show it late
                log.exception("page cache unavailable: pages cached before this change may be served "
                              "until they expire (PAGE_CACHE_SECONDS)")


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)
