"""The account flows a person goes through, in the test client."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.users.models import MembershipStatus, User
from portal.institutions.models import Institution, VerificationStatus
from tests.support.factories import PASSWORD
from tests.support.web import last_email, link_in

NEW_PASSWORD = "a much better passphrase"


def _register(browser, **overrides):
    data = {
        "display_name": "Aigerim Nurlanovna", "email": "Aigerim@Example.KZ", "password": PASSWORD,
        "password_repeat": PASSWORD, "preferred_language": "kk", "institution_mode": "new",
        "institution-name": "Steppe Water Institute", "institution-type": "research_institute",
        "institution-country": "KZ", "institution-city": "Almaty", "institution-website": "https://steppe.example.org",
        "institution-description": "Irrigation research.",
    }
    data.update(overrides)
    return browser.submit("/en/account/register", data)


def test_register_confirm_sign_in_and_reset_password(browser, db_session, make):
    response = _register(browser)
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)  # the same answer as for a taken address
    browser.sign_in("aigerim@example.kz", PASSWORD)

    user = db_session.scalar(select(User).where(User.email == "aigerim@example.kz"))
    assert user is not None and not user.email_confirmed
    assert user.institution.name == "Steppe Water Institute"
    assert user.is_institution_admin and user.membership_status == MembershipStatus.ACTIVE
    assert user.institution.verification == VerificationStatus.UNVERIFIED
    assert user.password_hash.startswith("scrypt:")

    # The confirmation email is in the outbox, in the user's language (Kazakh).
    message = last_email(db_session, "aigerim@example.kz")
    assert message.language == "kk"
    confirm_path = link_in(message)
    assert confirm_path.startswith("/kk/account/confirm/")

    # Opening the link only shows a button; confirming is a POST.
    assert browser.get(confirm_path).status_code == 200
    db_session.refresh(user)
    assert not user.email_confirmed
    assert browser.submit(confirm_path, {}).status_code == 302
    db_session.refresh(user)
    assert user.email_confirmed

    # Sign out, then sign in with the email typed in another case.
    browser.sign_out()
    assert "Aigerim Nurlanovna" not in browser.get("/en/").get_data(as_text=True)
    browser.sign_in("AIGERIM@example.kz", PASSWORD)
    assert "Aigerim Nurlanovna" in browser.get("/en/").get_data(as_text=True)
    browser.sign_out()

    # Forgot password → email → new password works, old one does not, link works once.
    sent = browser.submit("/en/account/forgot", {"email": "aigerim@example.kz"})
    assert "If an account exists" in sent.get_data(as_text=True)
    reset_path = link_in(last_email(db_session, "aigerim@example.kz"))
    response = browser.submit(reset_path, {"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert response.status_code == 302
    browser.sign_out()
    assert browser.get(reset_path).status_code == 400  # used: the password changed since
    failed = browser.submit("/en/account/login", {"email": "aigerim@example.kz", "password": PASSWORD})
    assert "not correct" in failed.get_data(as_text=True)
    browser.sign_in("aigerim@example.kz", NEW_PASSWORD)


def test_forgot_password_does_not_reveal_whether_an_account_exists(browser, db_session):
    page = browser.submit("/en/account/forgot", {"email": "nobody@example.org"}).get_data(as_text=True)
    assert "If an account exists for nobody@example.org" in page


def test_register_to_join_an_existing_institution(browser, db_session, make):
    institution = make.institution("Tashkent State Agrarian University", country="UZ")
    response = _register(browser, institution_mode="join", **{"institution_id": str(institution.id),
                                                                 "institution-name": ""})
    assert "Check your email" in response.get_data(as_text=True)
    user = db_session.scalar(select(User).where(User.email == "aigerim@example.kz"))
    assert user.institution_id == institution.id
    assert user.membership_status == MembershipStatus.PENDING
    assert user.active_institution is None
    assert db_session.scalar(select(Institution).where(Institution.name == "Steppe Water Institute")) is None


def test_registration_errors_keep_what_was_typed(browser, db_session, make):
    make.user("taken@example.org")
    response = _register(browser, email="TAKEN@example.org", password_repeat="something else",
                         **{"institution-country": "", "institution-website": "not a url"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The two passwords are not the same." in page
    assert "Choose a country." in page
    assert "Enter a full web address" in page
    # What the user typed is still in the form (the passwords are not echoed back).
    assert 'value="Aigerim Nurlanovna"' in page
    assert 'value="Steppe Water Institute"' in page
    assert PASSWORD not in page
    # Fix the other fields: the page does not say that the address is taken (issue 13); its
    # owner is told by email instead, and no second account appears.
    response = _register(browser, email="TAKEN@example.org")
    assert "Check your email" in response.get_data(as_text=True)
    assert "already exists" not in response.get_data(as_text=True)
    assert "tried to create an account" in last_email(db_session, "taken@example.org").body
    assert len(db_session.scalars(select(User).where(User.email == "taken@example.org")).all()) == 1


def test_join_mode_requires_an_existing_institution(browser, db_session):
    response = _register(browser, institution_mode="join", institution_id="987654")
    assert "Choose the institution you work for." in response.get_data(as_text=True)


def test_oversized_and_garbage_input_gets_messages_not_errors(browser, db_session):
    response = _register(browser, display_name="x" * 5000, email="not-an-email",
                         institution_mode="nonsense")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a valid email address" in page
    assert "Field must be between 2 and 120 characters long." in page


def test_tampered_and_foreign_tokens_get_a_friendly_page(browser, db_session, make):
    user = make.user("someone@example.org")
    for path in ("/en/account/confirm/garbage", "/en/account/reset/garbage.token.here",
                 "/en/account/settings/email/confirm/%ff%fe"):
        response = browser.get(path)
        assert response.status_code == 400
        assert "This link does not work" in response.get_data(as_text=True)
    # A confirmation token is not a reset token.
    from portal.accounts.auth import account_service

    with browser.client.application.test_request_context():
        token = account_service().confirmation_token(user)
    assert browser.get(f"/en/account/reset/{token}").status_code == 400


def test_expired_token(browser, db_session, make, app):
    from portal.accounts.tokens import EmailTokens

    user = make.user("late@example.org")
    token = EmailTokens(app.config["SECRET_KEY"], 0).make("reset", user.id, user.auth_version, user.email)
    app.config["TOKEN_MAX_AGE_SECONDS"], saved = 0, app.config["TOKEN_MAX_AGE_SECONDS"]
    try:
        import time

        time.sleep(1.1)
        page = browser.get(f"/en/account/reset/{token}").get_data(as_text=True)
    finally:
        app.config["TOKEN_MAX_AGE_SECONDS"] = saved
    assert "This link has expired" in page


def test_change_password_needs_the_current_one_and_signs_out_other_sessions(app, browser, db_session, make):
    make.user("pw@example.org")
    other_device = app.test_client()
    from tests.support.web import Browser

    Browser(other_device).sign_in("pw@example.org", PASSWORD)
    browser.sign_in("pw@example.org", PASSWORD)

    wrong = browser.submit("/en/account/settings/password", {
        "current_password": "wrong", "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert "This is not your current password." in wrong.get_data(as_text=True)

    done = browser.submit("/en/account/settings/password", {
        "current_password": PASSWORD, "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert done.status_code == 302
    assert browser.get("/en/account/settings").status_code == 200  # this device stays signed in
    assert other_device.get("/en/account/settings").status_code == 302  # the other is signed out


def test_change_email_requires_password_and_confirmation_of_the_new_address(browser, db_session, make):
    user = make.user("old@example.org")
    make.user("busy@example.org")
    browser.sign_in("old@example.org", PASSWORD)
    taken = browser.submit("/en/account/settings/email", {"current_password": PASSWORD, "email": "Busy@example.org"})
    assert "Another account already uses this email address." in taken.get_data(as_text=True)

    browser.submit("/en/account/settings/email", {"current_password": PASSWORD, "email": "New@Example.org"})
    db_session.refresh(user)
    assert user.email == "old@example.org"  # unchanged until the link is opened
    path = link_in(last_email(db_session, "new@example.org"))
    assert browser.submit(path, {}).status_code == 302
    db_session.refresh(user)
    assert user.email == "new@example.org"


def test_profile_changes_language_and_name(browser, db_session, make):
    user = make.user("lang@example.org")
    browser.sign_in("lang@example.org", PASSWORD)
    response = browser.submit("/en/account/settings", {"display_name": "Бахтияр", "preferred_language": "ru"})
    assert response.headers["Location"].endswith("/ru/account/settings")
    db_session.refresh(user)
    assert (user.display_name, user.preferred_language) == ("Бахтияр", "ru")
    bad = browser.submit("/en/account/settings", {"display_name": "Бахтияр", "preferred_language": "xx"})
    assert "Not a valid choice." in bad.get_data(as_text=True)


def test_sign_in_returns_to_the_next_page_in_the_pages_language(browser, db_session, make):
    make.user("kk@example.org", language="kk")
    response = browser.submit("/en/account/login?next=/kk/institutions/", {
        "email": "kk@example.org", "password": PASSWORD, "next": "/kk/institutions/"})
    assert response.headers["Location"] == "/kk/institutions/"
    browser.sign_out()
    evil = browser.submit("/en/account/login", {"email": "kk@example.org", "password": PASSWORD,
                                                "next": "//evil.example.com/"})
    assert "evil" not in evil.headers["Location"]
    # The language of the page signed in on, not the account's stored language (issue 11).
    assert evil.headers["Location"].endswith("/en/")


def test_sign_in_is_throttled_per_account_and_address(browser, db_session, make, app):
    make.user("target@example.org")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS"]
    for _ in range(limit):
        browser.submit("/en/account/login", {"email": "target@example.org", "password": "guess"})
    blocked = browser.submit("/en/account/login", {"email": "target@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.get_data(as_text=True)
    assert re.search(r"Try again in \d+ minutes", blocked.get_data(as_text=True))


def test_sign_in_is_throttled_per_address(browser, db_session, make, app):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for number in range(limit):
        browser.submit("/en/account/login", {"email": f"guess{number}@example.org", "password": "guess"})
    make.user("innocent@example.org")
    blocked = browser.submit("/en/account/login", {"email": "innocent@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
