"""Indexes a process keeps in memory (search facets, matching), kept current through the log."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from portal.changes.log import Followed, current_token, database_key

T = TypeVar("T")


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
        return self.get_with_token(session)[0]

    def get_with_token(self, session: Session) -> tuple[T, str]:
        """The index and the change token it reflects (what else the caller derives from the
        same state can be kept under that token, without asking the database again)."""
        key, token = database_key(session), current_token(session)
        with self.lock:
            cached = self._indexes.get(key)
            if cached is not None and not self._stale(cached[0]):
                index, followed = cached
                if followed.token == token:
                    return index, token
                caught = followed.catch_up(session)
                if caught is not None:
                    latest, changed = caught
                    if changed:
                        self._update(session, index, changed)
                    followed.moved(latest, changed)
                    return index, latest
            index = self._build(session)
            self._indexes[key] = (index, Followed(token))
            return index, token

    def put(self, session: Session, index: T) -> None:
        """Take an index built elsewhere as reflecting the database now."""
        with self.lock:
            self._indexes[database_key(session)] = (index, Followed(current_token(session)))

    def forget(self) -> None:
        """Drop every index (tests roll their data back whatever the search state says)."""
        with self.lock:
            self._indexes.clear()
