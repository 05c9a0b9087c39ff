"""Issue 11's flows in Chromium: the sign-in round trip in Russian from a listing, and the phone
header and filters, with and without JavaScript."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.support.factories import PASSWORD, Factory


def test_sign_in_round_trip_in_russian_returns_to_the_listing(page, live_server, live_db):
    tag = uuid.uuid4().hex[:6]
    make = Factory(live_db)
    listing = make.listing(title=f"Саксауловые лесополосы {tag}", language="ru",
                           institution=make.institution(f"Aral Forestry {tag}", country="UZ"))
    email = f"uz-reader-{tag}@example.org"
    make.user(email, language="uz", institution=make.institution(f"Tashkent Institute {tag}", country="UZ"))
    live_db.commit()

    page.goto(f"{live_server}/ru/listings/{listing.id}")
    page.get_by_role("link", name="Войти, чтобы откликнуться").click()
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stacked [type=submit]").click()
    expect(page).to_have_url(f"{live_server}/ru/listings/{listing.id}")  # not /uz/, not the home page
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#interest textarea")).to_be_visible()  # the interest form, now that we may
    expect(page.get_by_role("link", name="Разместить объявление")).to_be_visible()


def test_phone_header_menu_and_filters_work_without_javascript(chromium, live_server):
    for javascript in (True, False):
        context = chromium.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=javascript)
        context.set_default_navigation_timeout(90_000)  # a first search builds its indexes; CI is shared
        try:
            page = context.new_page()
            page.goto(f"{live_server}/ru/listings/")
            sign_in = page.locator(".site-header").get_by_role("link", name="Войти")
            expect(sign_in).to_be_hidden()  # folded into the menu
            page.locator(".menu-button").click()
            expect(sign_in).to_be_visible()
            toggle = page.locator(".filters-toggle")
            expect(toggle).to_have_text("Фильтры (0)")
            apply = page.locator(".filters").get_by_role("button", name="Применить фильтры")
            expect(apply).to_be_hidden()  # results come first
            toggle.click()
            expect(apply).to_be_visible()
        finally:
            context.close()
    desk = chromium.new_context(viewport={"width": 1280, "height": 900})
    desk.set_default_navigation_timeout(90_000)
    try:
        page = desk.new_page()
        page.goto(f"{live_server}/ru/listings/?direction=offer")
        expect(page.locator(".menu-button")).to_be_hidden()
        expect(page.locator(".filters-toggle")).to_be_hidden()
        expect(page.locator(".site-header").get_by_role("link", name="Войти")).to_be_visible()
        expect(page.locator(".filters").get_by_role("button", name="Применить фильтры")).to_be_visible()
    finally:
        desk.close()
