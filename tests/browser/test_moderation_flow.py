"""A moderator clears a pending listing in Chromium, and the public then finds it."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from portal.listings.models import ListingStatus
from tests.support.factories import PASSWORD, Factory


def test_moderator_approves_a_pending_listing_which_then_appears_in_search(page, live_server, live_db):
    make = Factory(live_db)
    center = make.center("desertification-control")
    tag = uuid.uuid4().hex[:6]
    email = f"moderator-{tag}@example.org"
    moderator = make.moderator(center, email=email)
    moderator.preferred_language = "ru"
    title = f"Лесополосы против пыльных бурь {tag}"
    make.listing(center=center, institution=make.institution(f"Aral Forestry {tag}", country="UZ"), language="ru",
                 title=title, summary="Защитные лесные полосы вокруг полей.", status=ListingStatus.SUBMITTED)
    live_db.commit()

    page.goto(f"{live_server}/ru/listings/?q={tag}")
    expect(page.locator(".listing-card")).to_have_count(0)  # not public yet

    page.goto(f"{live_server}/ru/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit], form.stacked input[type=submit]").first.click()
    page.locator(".account-menu summary").click()
    page.locator(".account-menu a[href$='/moderation/']").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")  # the moderator's own language
    expect(page.locator("h1")).not_to_have_text("Review queue")
    page.get_by_role("link", name=title).click()
    expect(page.locator(".versions")).to_contain_text("Защитные лесные полосы")
    page.keyboard.press("a")  # approve from the keyboard
    expect(page.locator(".flash-success")).to_be_visible()

    page.goto(f"{live_server}/zh/listings/?q={tag}")
    expect(page.locator(".listing-card")).to_have_count(1)
    expect(page.locator(".listing-card h3")).to_have_text(title)
