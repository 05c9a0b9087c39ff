"""Issue 13, finding 1 (absolute URLs follow the Host header), finding 6 (a Host label over 63
characters crashed the error page), and the Permissions-Policy and HSTS headers."""

from __future__ import annotations

import re

from tests.support.factories import PASSWORD
from tests.support.web import csrf_token, last_email

FORGED = {"Host": "attacker.example"}


def test_reset_link_in_the_email_comes_from_public_url_not_the_host_header(app_with, db_session, make):
    app = app_with(SERVER_NAME=None, TRUSTED_HOSTS=None, PUBLIC_URL="https://portal.example.org")
    make.user("victim@example.org")
    client = app.test_client()
    page = client.get("/en/account/forgot", headers=FORGED).get_data(as_text=True)
    client.post("/en/account/forgot", headers=FORGED,
                data={"csrf_token": csrf_token(page), "email": "victim@example.org"})
    body = last_email(db_session, "victim@example.org").body
    assert "attacker.example" not in body
    assert re.search(r"https://portal\.example\.org/en/account/reset/\S+", body)


def test_hreflang_feeds_api_and_openapi_use_public_url(app_with, db_session, make):
    app = app_with(SERVER_NAME=None, TRUSTED_HOSTS=None, PUBLIC_URL="https://portal.example.org")
    make.listing()
    client = app.test_client()
    home = client.get("/en/", headers=FORGED).get_data(as_text=True)
    assert 'hreflang="ru" href="https://portal.example.org/ru/"' in home
    for path in ("/en/", "/en/feeds/listings.atom", "/api/v1/listings", "/api/v1/openapi.json"):
        response = client.get(path, headers=FORGED)
        assert response.status_code == 200, path
        assert "attacker.example" not in response.get_data(as_text=True), path
    assert client.get("/api/v1/openapi.json", headers=FORGED).json["servers"] == [
        {"url": "https://portal.example.org/api/v1"}]
    assert "https://portal.example.org/en/listings/" in client.get(
        "/en/feeds/listings.atom", headers=FORGED).get_data(as_text=True)


def test_a_host_outside_trusted_hosts_gets_a_styled_400(client, db_session):
    for path in ("/en/", "/en/account/forgot", "/healthz"):
        response = client.get(path, headers=FORGED)
        assert response.status_code == 400, path
    page = client.get("/en/account/forgot", headers=FORGED).get_data(as_text=True)
    assert "Bad request" in page and 'class="error-page"' in page
    assert "attacker.example" not in page
    assert client.get("/api/v1/centers", headers=FORGED).json["error"]["status"] == 400
    assert client.get("/en/").status_code == 200  # the configured host still works


def test_a_host_label_longer_than_63_characters_is_a_400_not_a_crash(app_with, db_session):
    long_host = "a" * 70 + ".example"
    for trusted in (None, ["portal.test"]):
        client = app_with(SERVER_NAME=None, TRUSTED_HOSTS=trusted).test_client()
        page = client.get("/en/", headers={"Host": long_host})
        assert page.status_code == 400
        assert "Bad request" in page.get_data(as_text=True)
        api = client.get("/api/v1/listings", headers={"Host": long_host})
        assert api.status_code == 400 and api.json["error"]["status"] == 400


def test_trusted_hosts_default_to_the_public_url_host():
    from portal.config import trusted_hosts

    assert trusted_hosts("", "https://portal.example.org") == ["portal.example.org"]
    assert set(trusted_hosts("", "http://127.0.0.1:5000")) >= {"127.0.0.1", "localhost"}
    assert trusted_hosts("a.example, .b.example", "https://x.example") == ["a.example", ".b.example"]
    assert trusted_hosts("*", "https://x.example") is None


def test_permissions_policy_everywhere_and_hsts_with_subdomains_over_https(app_with, client, db_session):
    for path in ("/en/", "/api/v1/centers", "/en/no-such-page"):
        policy = client.get(path).headers["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
    assert "Strict-Transport-Security" not in client.get("/en/").headers
    secure = app_with(SESSION_COOKIE_SECURE=True).test_client()
    hsts = secure.get("/en/", base_url="https://portal.test").headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


def test_sign_in_still_works_through_the_configured_host(browser, db_session, make):
    make.user("host@example.org")
    assert browser.sign_in("host@example.org", PASSWORD).status_code == 302
