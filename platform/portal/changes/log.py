"""The change log: which listings changed, in commit order, for every app process (see the
package's docstring for the whole path)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.changes.models import ChangeState, ListingChange

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
        update(ChangeState).where(ChangeState.id == 1)
        .values(generation=ChangeState.generation + 1, token=token)
        .returning(ChangeState.generation)).scalar_one()
    session.add(ListingChange(generation=generation, token=token, listing_ids=ids))
    session.flush()
    if generation % 100 == 0:
        session.execute(delete(ListingChange).where(ListingChange.generation <= generation - KEEP_CHANGES))


def current_token(session: Session) -> str:
    return session.scalar(select(ChangeState.token).where(ChangeState.id == 1)) or ""


def changed_since(session: Session, token: str) -> tuple[str, list[int]] | None:
    """The newest token and the listings changed after ``token``; None when an index at
    ``token`` must be rebuilt (a change touched everything, or the token is not in the kept
    history: too old, or from a transaction that was rolled back)."""
    if token == INITIAL_TOKEN:
        known = 0
    else:
        known = session.scalar(select(ListingChange.generation).where(ListingChange.token == token))
        if known is None:
            return None
    changes = session.execute(select(ListingChange.generation, ListingChange.listing_ids, ListingChange.token)
                              .where(ListingChange.generation > known).order_by(ListingChange.generation)).all()
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
