"""Issue 11, flows: sign-in keeps the page's language and returns to it, the anonymous listing
page invites to sign in, the header's "Post a listing" and "Moderation (n)", the approval
confirmation names the listing, and a wait under an hour reads "less than an hour"."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale

from portal.database import utcnow
from portal.listings.models import ListingStatus
from portal.web.templating import waiting_time
from tests.support.factories import PASSWORD


def test_sign_in_keeps_the_pages_language_and_returns_to_the_page(browser, db_session, make):
    listing = make.listing(title="Saxaul belts for the Aralkum")
    make.user("uz-member@example.org", language="uz", institution=make.institution())
    db_session.commit()
    page = browser.get(f"/ru/listings/{listing.id}").get_data(as_text=True)
    assert f'/ru/account/login?next=/ru/listings/{listing.id}' in page  # the header's and the invitation's link
    response = browser.submit(f"/ru/account/login?next=/ru/listings/{listing.id}",
                              {"email": "uz-member@example.org", "password": PASSWORD,
                               "next": f"/ru/listings/{listing.id}"})
    assert response.headers["Location"] == f"/ru/listings/{listing.id}"
    browser.sign_out()
    home = browser.submit("/ru/account/login", {"email": "uz-member@example.org", "password": PASSWORD})
    assert home.headers["Location"].endswith("/ru/")  # not /uz/, the account's stored language
    browser.sign_out()
    elsewhere = browser.submit("/ru/account/login", {"email": "uz-member@example.org", "password": PASSWORD,
                                                     "next": "https://evil.example.com/ru/"})
    assert "evil" not in elsewhere.headers["Location"]


def test_anonymous_listing_page_invites_to_sign_in_or_register(client, db_session, make):
    listing = make.listing(title="Joint master's degree in hydrology")
    draft = make.listing(title="Unsubmitted", status=ListingStatus.DRAFT)
    db_session.commit()
    page = client.get(f"/en/listings/{listing.id}").get_data(as_text=True)
    assert "Sign in to express interest" in page
    assert f'href="/en/account/login?next=/en/listings/{listing.id}"' in page
    assert 'href="/en/account/register"' in page
    russian = client.get(f"/ru/listings/{listing.id}").get_data(as_text=True)
    assert "Войти, чтобы откликнуться" in russian
    assert client.get(f"/en/listings/{draft.id}").status_code == 404


def test_members_see_post_a_listing_and_moderators_the_waiting_count(browser, db_session, make):
    center = make.center("desertification-control")
    make.user("member@example.org", institution=make.institution())
    make.moderator(center, email="mod@example.org")
    for number in range(2):
        make.listing(center=center, title=f"Waiting {number}", status=ListingStatus.SUBMITTED)
    db_session.commit()
    assert "Post a listing" not in browser.get("/en/").get_data(as_text=True)
    browser.sign_in("member@example.org", PASSWORD)
    member_page = browser.get("/en/").get_data(as_text=True)
    assert "Post a listing" in member_page and "Moderation (" not in member_page
    browser.sign_out()
    browser.sign_in("mod@example.org", PASSWORD)
    assert "Moderation (2)" in browser.get("/en/").get_data(as_text=True)
    assert "Модерация (2)" in browser.get("/ru/").get_data(as_text=True)


def test_approval_confirmation_names_the_approved_listing(browser, db_session, make):
    center = make.center("desertification-control")
    make.moderator(center, email="mod@example.org")
    first = make.listing(center=center, title="Saxaul nursery in Karakalpakstan", status=ListingStatus.SUBMITTED)
    make.listing(center=center, title="Another waiting listing", status=ListingStatus.SUBMITTED)
    db_session.commit()
    browser.sign_in("mod@example.org", PASSWORD)
    page = browser.submit(f"/en/moderation/listings/{first.id}/decide", {"approve": "y"},
                          page=f"/en/moderation/listings/{first.id}", follow=True).get_data(as_text=True)
    assert "Decision recorded for “Saxaul nursery in Karakalpakstan”: Approved." in page


def test_a_wait_under_an_hour_is_less_than_an_hour(app):
    now = utcnow()
    with app.test_request_context("/en/"):
        assert waiting_time(now - timedelta(minutes=1)) == "less than an hour"
        assert waiting_time(now - timedelta(minutes=59)) == "less than an hour"
        assert waiting_time(now - timedelta(minutes=61)) == "1 hour"
        assert waiting_time(now - timedelta(hours=5)) == "5 hours"
        assert waiting_time(now - timedelta(days=3)) == "3 days"
        with force_locale("ru"):
            assert waiting_time(now - timedelta(minutes=1)) == "меньше часа"
