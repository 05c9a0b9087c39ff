"""Two moderators decide on the same item at the same moment, in real concurrent transactions
(PostgreSQL row locks, or SQLite's write lock): exactly one decision wins, and the other
moderator learns who decided what."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.listings.models import Listing, ListingStatus
from portal.moderation.models import Action, ListingEvent
from portal.moderation.services import AlreadyDecided, ModerationService
from tests.support.databases import fresh_database, migrated


@pytest.fixture()
def committed_app(tmp_path):
    """An app on a database of its own, since this test commits for real."""
    from portal.database import Database
    from tests.conftest import make_test_app

    with fresh_database(tmp_path, "race") as url:
        app = make_test_app(url, tmp_path)
        migrated(app)
        yield app
        Database.engine(app).dispose()


def test_exactly_one_of_two_simultaneous_decisions_wins(committed_app):
    from portal.database import Database
    from tests.support.factories import Factory

    engine = Database.engine(committed_app)
    with Session(engine, expire_on_commit=False) as session:
        make = Factory(session)
        center = make.center()
        listing = make.listing(center=center, status=ListingStatus.SUBMITTED, title="Contested")
        first = make.moderator(center, email="first@example.org")
        second = make.moderator(center, email="second@example.org")
        session.commit()
        listing_id, moderators = listing.id, {"approve": first.id, "reject": second.id}

    first_updated = threading.Event()
    results: dict[str, object] = {}

    def decide(decision: str) -> None:
        if decision == "reject":
            # Wait before opening a transaction: on SQLite a transaction takes the write lock
            # at BEGIN, so opening one first would make the approval wait for the rejection.
            first_updated.wait(10)
        with Session(engine, expire_on_commit=False) as session:
            from portal.users.models import User

            moderator = session.get(User, moderators[decision])
            listing = session.get(Listing, listing_id)
            service = ModerationService(session)
            try:
                service.decide(moderator, listing, decision,
                               reason=None if decision == "approve" else _reason())
                if decision == "approve":
                    first_updated.set()
                    threading.Event().wait(0.5)  # keep the transaction open while the other tries
                session.commit()
                results[decision] = "won"
            except AlreadyDecided as conflict:
                results[decision] = (conflict.event.action, conflict.event.actor_id)
                session.rollback()
            finally:
                first_updated.set()

    threads = [threading.Thread(target=decide, args=(decision,)) for decision in ("approve", "reject")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert results["approve"] == "won"
    assert results["reject"] == (Action.APPROVED, moderators["approve"])  # who decided what
    with Session(engine) as session:
        assert session.get(Listing, listing_id).status == ListingStatus.PUBLISHED
        decisions = session.scalars(select(ListingEvent.action).where(ListingEvent.listing_id == listing_id)).all()
        assert decisions == [Action.APPROVED]


def _reason():
    from portal.moderation.models import RejectionReason

    return RejectionReason.DUPLICATE
