"""Which listings changed for search and matching, in the database, for every app process.

Every change to what search or suggestions show (publication, edits, withdrawal, expiry, an
institution's country, a renamed topic, a rebuilt index) records a change row and takes a new
token in ``search_state``, inside the changing transaction (``note_changes``). A process that
keeps an index in memory (``listings.facet_cache``, ``matching.store``) remembers the token it
reflects, and before use asks ``changed_since``: which listings to re-read, or that it must
rebuild. Processes behind a load balancer thus agree without talking to each other.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.search.models import SearchChange, SearchState

T = TypeVar("T")
KEEP_CHANGES = 5_000  # change rows kept; a process further behind rebuilds its index
INITIAL_TOKEN = "initial"  # the state before any change (set by migration 0008)


def note_changes(session: Session, listing_ids: Iterable[int] | None) -> None:
    """Record that these listings (None: possibly all) changed. Call inside the changing
    transaction: the state row's lock orders the changes as their commits are."""
    ids = None if listing_ids is None else sorted(set(listing_ids))
    if ids == []:
        return
    token = uuid.uuid4().hex
    generation = session.execute(
        update(SearchState).where(SearchState.id == 1)
        .values(generation=SearchState.generation + 1, token=token)
        .returning(SearchState.generation)).scalar_one()
    session.add(SearchChange(generation=generation, token=token, listing_ids=ids))
    session.flush()
    if generation % 100 == 0:
        session.execute(delete(SearchChange).where(SearchChange.generation <= generation - KEEP_CHANGES))


def current_token(session: Session) -> str:
    return session.scalar(select(SearchState.token).where(SearchState.id == 1)) or ""


def changed_since(session: Session, token: str) -> tuple[str, list[int]] | None:
    """The newest token and the listings changed after ``token``; None when an index at
    ``token`` must be rebuilt (a change touched everything, or the token is not in the kept
    history: too old, or from a transaction that was rolled back)."""
    if token == INITIAL_TOKEN:
        known = 0
    else:
        known = session.scalar(select(SearchChange.generation).where(SearchChange.token == token))
        if known is None:
            return None
    changes = session.execute(select(SearchChange.generation, SearchChange.listing_ids, SearchChange.token)
                              .where(SearchChange.generation > known).order_by(SearchChange.generation)).all()
    if changes and changes[0][0] != known + 1:
        return None  # the rows just after it were pruned: the history is not complete
    if any(listing_ids is None for _generation, listing_ids, _token in changes):
        return None
    if not changes:
        return token, []
    return changes[-1][2], sorted({listing_id for _generation, listing_ids, _token in changes
                                   for listing_id in listing_ids})


class Followed:
    """The tokens a process-local index went through, newest last, each with the listings it
    re-read to get there. When its newest token is unknown to a transaction (the change that
    made it was rolled back, or is not committed yet as this transaction sees it), the index
    steps back to an older token the transaction knows and re-reads what it applied since:
    no rebuild for a rolled-back request."""

    KEEP = 16

    def __init__(self, token: str) -> None:
        self.steps: list[tuple[str, list[int]]] = [(token, [])]

    @property
    def token(self) -> str:
        return self.steps[-1][0]

    def catch_up(self, session: Session) -> tuple[str, list[int]] | None:
        """The token to move to and the listings to re-read, or None: rebuild."""
        redo: set[int] = set()
        for token, applied in reversed(self.steps):
            changes = changed_since(session, token)
            if changes is not None:
                latest, changed = changes
                return latest, sorted(redo.union(changed))
            redo.update(applied)
        return None

    def moved(self, token: str, applied: list[int]) -> None:
        self.steps = [*self.steps, (token, applied)][-self.KEEP:]


def database_key(session: Session) -> str:
    """Which database a process-local index belongs to (a process may serve several in tests)."""
    bind = session.get_bind()
    return getattr(bind, "engine", bind).url.render_as_string(hide_password=True)


class FollowingIndexes(Generic[T]):
    """A process-local index per database, kept current through the change log.

    ``build(session)`` makes one from scratch; ``update(session, index, changed_ids)`` re-reads
    those listings into it; ``stale(index)`` (optional) asks for a rebuild anyway. ``get`` is
    called with ``lock`` held by the caller when the index is also written while used."""

    def __init__(self, build: Callable[[Session], T], update: Callable[[Session, T, list[int]], None],
                 stale: Callable[[T], bool] = lambda _index: False) -> None:
        self.lock = threading.RLock()
        self._build, self._update, self._stale = build, update, stale
        self._indexes: dict[str, tuple[T, Followed]] = {}

    def get(self, session: Session) -> T:
        key, token = database_key(session), current_token(session)
        with self.lock:
            cached = self._indexes.get(key)
            if cached is not None and not self._stale(cached[0]):
                index, followed = cached
                if followed.token == token:
                    return index
                caught = followed.catch_up(session)
                if caught is not None:
                    latest, changed = caught
                    if changed:
                        self._update(session, index, changed)
                    followed.moved(latest, changed)
                    return index
            index = self._build(session)
            self._indexes[key] = (index, Followed(token))
            return index

    def put(self, session: Session, index: T) -> None:
        """Take an index built elsewhere as reflecting the database now."""
        with self.lock:
            self._indexes[database_key(session)] = (index, Followed(current_token(session)))

    def forget(self) -> None:
        """Drop every index (tests roll their data back whatever the search state says)."""
        with self.lock:
            self._indexes.clear()
