"""A member expresses interest in another institution's listing, in Chromium."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.support.factories import PASSWORD, Factory


def test_express_interest_through_the_listing_page(page, live_server, live_db):
    make = Factory(live_db)
    tag = uuid.uuid4().hex[:6]
    owner = make.institution(f"Drip Works {tag}", country="CN")
    listing = make.listing(institution=owner, title=f"Drip kits {tag}", summary="Field-proven drip irrigation.")
    email = f"seeker-{tag}@example.org"
    make.user(email, institution=make.institution(f"Steppe Farms {tag}", country="KZ"), name="Seeker")
    live_db.commit()
    listing_id = listing.id
    live_db.rollback()  # end the read transaction: the server writes next

    page.goto(f"{live_server}/en/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stacked input[type=submit]").first.click()
    page.goto(f"{live_server}/en/listings/{listing_id}")
    page.get_by_label("Your message").fill("We farm 2,000 ha of cotton in Turkistan and want to pilot your kits.")
    page.get_by_role("button", name="Express interest").click()
    expect(page.locator(".flash-success")).to_contain_text("Your interest has been sent")
    expect(page.locator("h1")).to_contain_text(f"Steppe Farms {tag}")
    expect(page.locator(".notice")).to_contain_text("Contact details are shared only if they accept")
