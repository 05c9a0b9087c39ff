"""The announcements: blinker signals sent once the changing transaction has committed.

A service announces inside its transaction (``announce_listing_changed`` and friends). The
announcement writes the change log at once, so every process and the worker learn of it even if
this process dies after the commit, and it is held on the session until the commit. After the
commit each receiver runs in a transaction of its own and commits it; one receiver's failure is
logged and rolled back without undoing the change or the other receivers. A rollback forgets
what the transaction announced: nothing is sent for a change that did not happen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, MutableSet

from blinker import ANY, NamedSignal
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.changes.log import note_changes
from portal.database import PortalSession

log = logging.getLogger(__name__)
PENDING = "portal.announced"  # session.info key: [(signal, payload)] in announcement order
MAX_ROUNDS = 5  # receivers may announce in turn (an institution's change → its listings)


class _OrderedSet(MutableSet):
    """blinker calls receivers in its set's order; this one keeps the order they connected in
    (subjects annotate a listing before matching reads its subjects)."""

    def __init__(self, items: Iterable = ()) -> None:
        self._items = dict.fromkeys(items)

    def __contains__(self, item: object) -> bool:
        return item in self._items

    def __iter__(self) -> Iterator:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def add(self, item: object) -> None:
        self._items[item] = None

    def discard(self, item: object) -> None:
        self._items.pop(item, None)

    def copy(self) -> _OrderedSet:
        return _OrderedSet(self._items)


class Announcement(NamedSignal):
    set_class = _OrderedSet  # type: ignore[assignment]


#: ``(session, listing_ids)``: a listing's text, status, dates or facets changed (or it is gone).
listing_changed = Announcement("listing_changed")
#: ``(session, institution_id)``: an institution's name, country or type changed.
institution_changed = Announcement("institution_changed")
#: ``(session, matches)``: matching stored new suggestions (``matching.store.NewMatch``).
matches_found = Announcement("matches_found")


def announce_listing_changed(session: Session, listing_ids: Iterable[int]) -> None:
    ids = sorted(set(listing_ids))
    if ids:
        note_changes(session, ids)
        _hold(session, listing_changed, ids)


def announce_institution_changed(session: Session, institution_id: int) -> None:
    """Its listings change with it (their country facet, the reasons of their suggestions):
    ``listings.events`` announces them in turn."""
    _hold(session, institution_changed, institution_id)


def deliver_now(session: Session) -> None:
    """Send what this session announced without waiting for a commit: for scripts and tests that
    build data inside one transaction they never commit (benchmarks, the evaluation sets)."""
    _dispatch(session, commit=False)


def _hold(session: Session, signal: Announcement, payload: object) -> None:
    pending = session.info.setdefault(PENDING, [])
    if isinstance(payload, list):  # one listing_changed per transaction, with every id
        for held_signal, held in pending:
            if held_signal is signal:
                held[:] = sorted(set(held) | set(payload))
                return
    pending.append((signal, payload))


def _dispatch(session: Session, *, commit: bool = True) -> None:
    for _round in range(MAX_ROUNDS):
        pending = session.info.pop(PENDING, None)
        if not pending:
            return
        for signal, payload in pending:
            for receiver in list(signal.receivers_for(ANY)):
                try:
                    receiver(session, payload)
                    if commit:
                        Session.commit(session)  # each receiver's work is its own unit
                except Exception:  # noqa: BLE001 - the change stands; the worker catches up
                    log.exception("%s receiver %r failed for %r", signal.name, receiver, payload)
                    if commit:
                        session.rollback()
                    else:
                        raise
        if commit:
            Session.commit(session)
    log.error("announcements still pending after %d rounds; left to the worker", MAX_ROUNDS)
    session.info.pop(PENDING, None)


@event.listens_for(PortalSession, "after_soft_rollback")
def _forget_on_rollback(session: Session, previous_transaction) -> None:  # noqa: ANN001
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint inside it
        session.info.pop(PENDING, None)


PortalSession.after_commit_hooks.append(_dispatch)
