"""A member saves a search and removes it again, and follows a notification from the bell,
in Chromium."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from portal.notifications.kinds import Frequency, Kind
from portal.notifications.services import record
from portal.search.index import index_listing
from tests.support.factories import PASSWORD, Factory


def _sign_in(page, live_server, email):  # noqa: ANN001
    page.goto(f"{live_server}/en/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stacked input[type=submit]").first.click()


def test_save_a_search_then_remove_it(page, live_server, live_db):
    make = Factory(live_db)
    tag = uuid.uuid4().hex[:6]
    listing = make.listing(title=f"Saxaul{tag} seedlings for dunes", summary="Nursery-grown saxaul.")
    index_listing(live_db, listing)
    email = f"saver-{tag}@example.org"
    make.user(email, institution=make.institution(f"Dune Institute {tag}"))
    live_db.commit()
    live_db.rollback()

    _sign_in(page, live_server, email)
    page.goto(f"{live_server}/en/listings/?q=saxaul{tag}")
    expect(page.locator(".results-count")).to_contain_text("1 listing found")
    page.get_by_role("link", name="Save this search").click()
    expect(page.locator("main")).to_contain_text(f"“saxaul{tag}”")
    page.get_by_label("Name").fill("Saxaul nurseries")
    page.get_by_label("Email me new listings that match").select_option("weekly")
    page.get_by_role("button", name="Save search").click()
    expect(page.locator(".flash-success")).to_contain_text("Your search has been saved")
    expect(page.locator(".saved-searches")).to_contain_text("Saxaul nurseries")

    page.get_by_role("link", name="Saxaul nurseries").click()  # back to the same results
    expect(page.locator(".results-count")).to_contain_text("1 listing found")
    page.goto(f"{live_server}/en/saved-searches/")
    page.get_by_role("button", name="Remove").click()
    expect(page.locator(".flash-success")).to_contain_text("has been removed")
    expect(page.locator("main")).to_contain_text("You have no saved searches")


def test_the_bell_counts_unread_news_and_leads_to_it(page, live_server, live_db):
    make = Factory(live_db)
    tag = uuid.uuid4().hex[:6]
    institution = make.institution(f"Oasis Lab {tag}")
    email = f"bell-{tag}@example.org"
    user = make.user(email, institution=institution)
    listing = make.listing(institution=institution, title=f"Camel milk {tag}")
    index_listing(live_db, listing)
    record(live_db, user.id, Kind.NEW_MATCHES, Frequency.DAILY, listing_id=listing.id, data={"count": 2})
    live_db.commit()
    listing_id = listing.id
    live_db.rollback()

    _sign_in(page, live_server, email)
    bell = page.locator("a.notifications-link")
    expect(bell).to_contain_text("1 unread")
    bell.click()
    page.get_by_role("link", name=f"2 new strong matches for “Camel milk {tag}”").click()
    expect(page).to_have_url(f"{live_server}/en/listings/{listing_id}#partners-heading")
    expect(page.locator("a.notifications-link")).not_to_contain_text("unread")
