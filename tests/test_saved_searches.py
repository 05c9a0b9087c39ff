"""Saved searches: kept from the search page, listed and removable on the member's page, and
alerting of new listings that match them in the chosen digest."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.database import utcnow
from portal.listings.models import ListingStatus
from portal.mail.models import OutboxMessage
from portal.notifications.kinds import Frequency
from portal.saved_searches.models import Alert, SavedSearch
from portal.search.index import reindex_listing
from tests.support.factories import PASSWORD
from tests.support.web import last_email
from tests.test_notifications import _digest


def _save(browser, query: str, **fields):
    return browser.submit("/en/saved-searches/new", {"query": query, "alert": "daily", "name": "", **fields},
                          page=f"/en/saved-searches/new?{query}")


def test_save_a_search_from_the_results_and_find_it_on_my_page(browser, client, db_session, make):
    make.user("seeker@example.org", institution=make.institution("Seeker Institute"))
    db_session.commit()
    assert "Save this search" in client.get("/en/listings/?q=drip&country=CN").get_data(as_text=True)

    browser.sign_in("seeker@example.org", PASSWORD)
    form = browser.get("/en/saved-searches/new?q=drip&country=CN&page=3").get_data(as_text=True)
    assert "“drip” · China" in form  # the search in words
    response = _save(browser, "country=CN&q=drip", name="Drip kits from China", alert="weekly")
    assert response.status_code == 302
    saved = db_session.scalar(select(SavedSearch))
    assert saved.name == "Drip kits from China" and saved.alert == Alert.WEEKLY
    assert saved.query == "country=CN&q=drip"  # no page number: the alert is about the whole search

    settings = browser.get("/en/account/settings").get_data(as_text=True)
    assert "Drip kits from China" in settings and "/en/listings/?country=CN&amp;q=drip" in settings
    mine = browser.get("/en/saved-searches/").get_data(as_text=True)
    assert "Drip kits from China" in mine and "“drip” · China" in mine

    browser.submit(f"/en/saved-searches/{saved.id}/remove", {}, page="/en/saved-searches/")
    assert db_session.scalar(select(SavedSearch)) is None
    page = browser.get("/en/saved-searches/").get_data(as_text=True)
    assert "has been removed" in page and "You have no saved searches" in page


def test_an_unnamed_search_is_named_after_what_it_looks_for(browser, db_session, make):
    center = make.center("desertification-control")
    make.user("seeker@example.org")
    db_session.commit()
    browser.sign_in("seeker@example.org", PASSWORD)
    _save(browser, f"center={center.slug}&q=saxaul")
    saved = db_session.scalar(select(SavedSearch))
    assert saved.name.startswith("“saxaul” · ")


def test_unknown_filters_are_dropped_and_bad_input_keeps_the_name(browser, db_session, make):
    make.user("seeker@example.org")
    db_session.commit()
    browser.sign_in("seeker@example.org", PASSWORD)
    _save(browser, "q=solar&country=XX&kind=<script>")
    assert db_session.scalar(select(SavedSearch.query)) == "q=solar"

    response = _save(browser, "q=wind", name="Wind power " + "x" * 200)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Wind power xxxx" in page  # what was typed stays
    assert "Field cannot be longer than 120 characters." in page


def test_others_cannot_change_or_remove_my_saved_searches(browser, client, db_session, make):
    owner = make.user("owner@example.org")
    make.user("other@example.org")
    saved = SavedSearch(user_id=owner.id, name="Mine", query="q=drip")
    db_session.add(saved)
    db_session.commit()
    assert client.get("/en/saved-searches/").status_code == 302
    browser.sign_in("other@example.org", PASSWORD)
    assert "Mine" not in browser.get("/en/saved-searches/").get_data(as_text=True)
    removed = browser.submit(f"/en/saved-searches/{saved.id}/remove", {}, page="/en/saved-searches/")
    changed = browser.submit(f"/en/saved-searches/{saved.id}/alert", {f"s{saved.id}-alert": "off"},
                             page="/en/saved-searches/")
    assert removed.status_code == 404 and changed.status_code == 404
    db_session.refresh(saved)
    assert saved.alert == Alert.DAILY


def test_alert_brings_new_matching_listings_in_the_digest_once(app, browser, db_session, make):
    user = make.user("alerts@example.org", language="ru")
    earlier = utcnow() - timedelta(days=2)
    old = make.listing(title="Drip irrigation kits (old)")
    old.published_at = earlier - timedelta(days=1)
    saved = SavedSearch(user_id=user.id, name="Drip", query="q=drip", alert=Alert.DAILY, checked_at=earlier)
    weekly = SavedSearch(user_id=user.id, name="Weekly drip", query="q=drip", alert=Alert.WEEKLY, checked_at=earlier)
    db_session.add_all([saved, weekly])
    fresh = make.listing(title="Drip irrigation kits for cotton")
    unrelated = make.listing(title="Saxaul seedlings for sand dunes", summary="Nurseries.")
    pending = make.listing(title="Drip emitters not yet approved", status=ListingStatus.SUBMITTED)
    for listing in (old, fresh, unrelated, pending):
        reindex_listing(db_session, listing.id)
    db_session.commit()

    now = utcnow()
    report = _digest(app, Frequency.DAILY, now)
    assert user.id in report.sent
    email = last_email(db_session, "alerts@example.org")
    assert email.language == "ru"
    assert "Drip irrigation kits for cotton" in email.body
    assert "(old)" not in email.body and "Saxaul" not in email.body and "not yet approved" not in email.body
    assert "http://portal.test/ru/listings/" in email.body
    db_session.refresh(saved)
    db_session.refresh(weekly)
    assert saved.checked_at > earlier and weekly.checked_at == earlier  # the weekly alert waits for its digest

    assert user.id not in _digest(app, Frequency.DAILY, now + timedelta(hours=1)).sent
    count = db_session.scalar(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.recipient == "alerts@example.org"))
    assert count == 1
    browser.sign_in("alerts@example.org", PASSWORD)
    assert "1 new listing for your saved search “Drip”" in browser.get("/en/notifications/").get_data(as_text=True)
