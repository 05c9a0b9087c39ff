"""Signing in through the real page, in Chromium."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.support.factories import PASSWORD, Factory


def test_sign_in_through_the_page(page, live_server, live_db):
    email = f"browser-{uuid.uuid4().hex[:8]}@example.org"
    make = Factory(live_db)
    make.user(email, institution=make.institution("Kazakh National Agrarian Research University"),
              name="Aliya Browser")
    live_db.commit()

    page.goto(f"{live_server}/en/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The email address or password is not correct.")
    expect(page.get_by_label("Email address")).to_have_value(email)  # nothing typed is lost

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".account-menu summary")).to_contain_text("Aliya Browser")

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_language_switcher_keeps_the_page(page, live_server):
    page.goto(f"{live_server}/en/account/login")
    page.locator(".language-menu summary").click()
    page.locator(".language-menu").get_by_role("link", name="Русский").click()
    expect(page).to_have_url(f"{live_server}/ru/account/login")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
