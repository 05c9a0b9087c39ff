"""One path for every change (portal.changes): a change is announced in its transaction, the
search document, subjects and suggestions follow once it has committed, and a rolled-back
change is followed by nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.changes.log import current_token
from portal.changes.signals import announce_listing_changed, listing_changed
from portal.listings.models import Listing
from portal.matching.models import ListingMatch
from portal.search.models import SearchDocument
from tests.support.factories import PASSWORD
from tests.support.flows import approved_drip_request


@pytest.fixture()
def heard():
    """What listing_changed's receivers are told, in the order they are told it."""
    calls: list[tuple[str, list[int]]] = []

    def first(session, listing_ids):  # noqa: ANN001
        calls.append(("first", list(listing_ids)))

    def second(session, listing_ids):  # noqa: ANN001
        calls.append(("second", list(listing_ids)))

    listing_changed.connect(first)
    listing_changed.connect(second)
    yield calls
    listing_changed.disconnect(first)
    listing_changed.disconnect(second)


def test_a_change_is_followed_once_the_transaction_commits(db_session, make, heard):
    listing = make.listing(title="Saxaul belts against moving sand")
    db_session.flush()
    before = current_token(db_session)
    announce_listing_changed(db_session, [listing.id])
    announce_listing_changed(db_session, [listing.id])  # twice in one transaction: told once
    assert current_token(db_session) != before  # the change log knows at once, for every process
    assert [name for name, _ids in heard if listing.id in _ids] == []  # but nobody is told yet
    assert db_session.get(SearchDocument, listing.id) is None

    db_session.commit()
    told = [(name, ids) for name, ids in heard if listing.id in ids]
    assert told == [("first", [listing.id]), ("second", [listing.id])]  # once each, in order
    document = db_session.get(SearchDocument, listing.id)
    assert document is not None and "saxaul" in document.title_tokens


def test_a_rolled_back_change_is_followed_by_nothing(db_session, make, heard):
    listing = make.listing(title="A listing that is never saved")
    db_session.commit()
    heard.clear()
    announce_listing_changed(db_session, [listing.id])
    db_session.rollback()
    db_session.commit()  # a later commit of the same session does not send the forgotten one
    assert heard == []


def test_a_failing_receiver_does_not_undo_the_change_or_silence_the_others(db_session, make, heard, caplog):
    def broken(session, listing_ids):  # noqa: ANN001
        raise RuntimeError("the receiver broke")

    listing_changed.connect(broken)
    try:
        listing = make.listing(title="Solar pumps for remote pastures")
        db_session.flush()
        announce_listing_changed(db_session, [listing.id])
        db_session.commit()
    finally:
        listing_changed.disconnect(broken)
    assert db_session.get(Listing, listing.id) is not None
    assert [name for name, ids in heard if listing.id in ids] == ["first", "second"]
    assert db_session.get(SearchDocument, listing.id) is not None  # search's receiver ran too
    assert "the receiver broke" in caplog.text


def test_an_institutions_new_country_reaches_its_stored_suggestions(browser, db_session, make, matching_worker):
    """Before, the stored suggestions kept the old country's reason until the nightly rematch."""
    offer, request = approved_drip_request(browser, db_session, make)  # a Chinese offer, an Uzbek request
    matching_worker()

    def reasons() -> set[str]:
        db_session.expire_all()
        match = db_session.scalar(select(ListingMatch).where(ListingMatch.listing_id == request.id,
                                                             ListingMatch.partner_id == offer.id))
        return {str(reason) for reason in match.reasons}

    assert any("CN" in reason for reason in reasons())
    browser.sign_in("drip@example.cn", PASSWORD)
    institution = offer.institution
    edit = f"/en/institutions/{institution.id}/edit"
    response = browser.submit(edit, {"name": institution.name, "type": institution.type.value, "country": "KZ",
                                     "website": "", "description": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    matching_worker()  # the change of the institution's listings, in the worker's next pass
    assert not any("CN" in reason for reason in reasons())
    assert any("KZ" in reason for reason in reasons())
