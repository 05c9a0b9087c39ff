"""Headers, cookies, CSRF, error pages and redirects that every response must get right."""

from __future__ import annotations

import pytest

from tests.support.factories import PASSWORD


def test_security_headers_on_pages_and_errors(client, db_session):
    for path in ("/en/", "/en/no-such-page", "/healthz"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_pages_have_no_inline_scripts_or_styles(client, db_session, make):
    make.centers()
    for path in ("/en/", "/en/account/register", "/en/account/login", "/en/listings/"):
        page = client.get(path).get_data(as_text=True)
        assert "style=" not in page
        assert "<style" not in page
        assert "<script>" not in page and "onclick" not in page
        assert "https://" not in page.split("<body>")[0].replace('hreflang', '')  # nothing loaded from elsewhere


def test_session_cookie_flags_and_renewal_on_sign_in(browser, db_session, make):
    make.user("cookie@example.org")
    browser.get("/en/account/login")
    before = browser.client.get_cookie("session", domain="portal.test").value
    response = browser.sign_in("cookie@example.org", PASSWORD)
    set_cookie = ";".join(response.headers.getlist("Set-Cookie"))
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    after = browser.client.get_cookie("session", domain="portal.test").value
    assert before != after
    with browser.client.session_transaction() as session:
        assert "_user_id" in session


def test_remember_me_sets_a_persistent_cookie(browser, db_session, make):
    make.user("remember@example.org")
    response = browser.submit("/en/account/login", {"email": "remember@example.org", "password": PASSWORD,
                                                    "remember": "y"})
    assert any(c.startswith("remember_token=") and "HttpOnly" in c for c in response.headers.getlist("Set-Cookie"))


def test_sign_out_ends_the_session_and_needs_post(browser, db_session, make):
    make.user("bye@example.org")
    browser.sign_in("bye@example.org", PASSWORD)
    assert browser.get("/en/account/logout").status_code == 405  # no state change through GET
    browser.sign_out()
    assert browser.get("/en/account/settings").status_code == 302
    with browser.client.session_transaction() as session:
        assert "_user_id" not in session


def test_post_without_csrf_token_is_refused(browser, db_session, make):
    make.user("csrf@example.org")
    browser.sign_in("csrf@example.org", PASSWORD)
    response = browser.client.post("/en/account/logout")
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert browser.get("/en/account/settings").status_code == 200  # still signed in


def test_form_with_a_bad_token_keeps_what_was_typed(client, db_session):
    response = client.post("/en/account/register", data={"csrf_token": "forged", "display_name": "Dilnoza",
                                                          "email": "d@example.uz"})
    page = response.get_data(as_text=True)
    assert "This form has expired" in page
    assert 'value="Dilnoza"' in page


@pytest.mark.parametrize("path", [
    "/en/no-such-page", "/en/institutions/abc", "/en/institutions/99999999999999999999999",
    "/en/listings/0", "/xx/", "/en/centers/%00", "/en/account/reset/" + "a" * 5000,
])
def test_garbage_urls_get_a_friendly_page(client, db_session, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert "<h1>" in response.get_data(as_text=True)


def test_unprefixed_links_are_sent_to_a_language(client, db_session):
    assert client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).headers["Location"] == "/ru/"
    response = client.get("/account/login?next=/x", headers={"Accept-Language": "zh-CN"})
    assert response.headers["Location"] == "/zh/account/login?next=/x"
    client.set_cookie("lang", "kk", domain="portal.test")
    assert client.get("/", headers={"Accept-Language": "ru"}).headers["Location"] == "/kk/"


def test_signed_in_users_language_wins(browser, db_session, make):
    make.user("uz@example.org", language="uz")
    browser.sign_in("uz@example.org", PASSWORD)
    assert browser.get("/", headers={"Accept-Language": "ru"}).headers["Location"] == "/uz/"


def test_healthz_checks_the_database(client, db_session):
    response = client.get("/healthz")
    assert response.json == {"status": "ok", "database": "ok"}


def test_only_admins_read_the_outbox(browser, db_session, make):
    from portal.users.models import Role

    make.user("member@example.org")
    make.user("admin@example.org", role=Role.ADMIN)
    browser.sign_in("member@example.org", PASSWORD)
    assert browser.get("/en/admin/outbox/").status_code == 403
    browser.sign_out()
    browser.submit("/en/account/forgot", {"email": "member@example.org"})
    browser.sign_in("admin@example.org", PASSWORD)
    page = browser.get("/en/admin/outbox/").get_data(as_text=True)
    assert "member@example.org" in page and "Reset your password" in page


def test_unpublished_listings_do_not_leak(client, browser, db_session, make):
    from portal.listings.models import ListingStatus

    owner = make.institution()
    draft = make.listing(institution=owner, title="Unreleased hydrogen plan", status=ListingStatus.DRAFT)
    assert client.get(f"/en/listings/{draft.id}").status_code == 404
    assert "Unreleased hydrogen plan" not in client.get("/en/listings/?q=hydrogen").get_data(as_text=True)
    make.user("outsider@example.org", institution=make.institution())
    browser.sign_in("outsider@example.org", PASSWORD)
    assert browser.get(f"/en/listings/{draft.id}").status_code == 404
    browser.sign_out()
    make.user("insider@example.org", institution=owner)
    browser.sign_in("insider@example.org", PASSWORD)
    page = browser.get(f"/en/listings/{draft.id}").get_data(as_text=True)
    assert "Unreleased hydrogen plan" in page and "Only your institution and moderators" in page
