"""Expressions of interest: ask, answer, share contacts, talk — and who may see what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.users.models import User
from portal.interests.models import Interest, InterestStatus, Outcome
from portal.interests.services import DAILY_LIMIT
from tests.support.factories import PASSWORD
from tests.support.web import last_email

MESSAGE = "We are a Kazakh irrigation institute and would like to pilot your drip kits on 50 ha of cotton."


@pytest.fixture()
def parties(db_session, make):
    offer_owner = make.institution("Tianshan Drip Co", country="CN")
    seeker = make.institution("Turkistan Irrigation Institute", country="KZ")
    make.user("chen@drip.cn", institution=offer_owner, institution_admin=True, language="zh", name="Chen Hao")
    make.user("aigerim@water.kz", institution=seeker, language="kk", name="Aigerim")
    make.user("stranger@else.org", institution=make.institution("Elsewhere"), name="Stranger")
    listing = make.listing(institution=offer_owner, title="Drip irrigation kits", summary="Field-proven.")
    listing.author = db_session.scalar(select(User).where(User.email == "chen@drip.cn"))
    db_session.commit()
    return {"listing": listing, "offer_owner": offer_owner, "seeker": seeker}


def _express(browser, listing_id, message=MESSAGE):
    return browser.submit(f"/en/interests/listings/{listing_id}", {"message": message},
                          page=f"/en/listings/{listing_id}")


def _pending_interest(browser, db_session, listing):
    """Aigerim's institution writes to the listing; the test goes on signed out."""
    browser.sign_in("aigerim@water.kz", PASSWORD)
    _express(browser, listing.id)
    browser.sign_out()
    return db_session.scalar(select(Interest))


def test_interest_accept_contacts_and_messages(browser, db_session, parties):
    listing = parties["listing"]
    browser.sign_in("aigerim@water.kz", PASSWORD)
    page = browser.get(f"/en/listings/{listing.id}").get_data(as_text=True)
    assert "chen@drip.cn" not in page  # no contact details on the listing
    response = _express(browser, listing.id)
    assert response.status_code == 302
    interest = db_session.scalar(select(Interest))
    assert interest.status == InterestStatus.PENDING and interest.institution_id == parties["seeker"].id
    notice = last_email(db_session, "chen@drip.cn")
    assert notice.language == "zh" and "Turkistan Irrigation Institute" in notice.body
    thread = browser.get(f"/en/interests/{interest.id}").get_data(as_text=True)
    assert "chen@drip.cn" not in thread  # not before acceptance
    browser.sign_out()

    browser.sign_in("chen@drip.cn", PASSWORD)
    inbox = browser.get("/en/interests/").get_data(as_text=True)
    assert "Turkistan Irrigation Institute" in inbox
    browser.submit(f"/en/interests/{interest.id}/decide", {"accept": "y"}, page=f"/en/interests/{interest.id}")
    db_session.refresh(interest)
    assert interest.status == InterestStatus.ACCEPTED
    thread = browser.get(f"/en/interests/{interest.id}").get_data(as_text=True)
    assert "aigerim@water.kz" in thread and "chen@drip.cn" in thread
    browser.submit(f"/en/interests/{interest.id}/messages", {"body": "Shall we meet in Almaty in May?"},
                   page=f"/en/interests/{interest.id}")
    browser.submit(f"/en/interests/{interest.id}/outcome", {"outcome": "talks_ongoing"},
                   page=f"/en/interests/{interest.id}")
    browser.sign_out()

    assert last_email(db_session, "aigerim@water.kz").language == "kk"
    browser.sign_in("aigerim@water.kz", PASSWORD)
    thread = browser.get(f"/en/interests/{interest.id}").get_data(as_text=True)
    assert "Shall we meet in Almaty in May?" in thread and "chen@drip.cn" in thread
    db_session.refresh(interest)
    assert interest.outcome == Outcome.TALKS_ONGOING


def test_decline_needs_a_reason_which_the_sender_learns(browser, db_session, parties):
    listing = parties["listing"]
    interest = _pending_interest(browser, db_session, listing)
    browser.sign_in("chen@drip.cn", PASSWORD)
    browser.submit(f"/en/interests/{interest.id}/decide", {"decline": "y"}, page=f"/en/interests/{interest.id}")
    db_session.refresh(interest)
    assert interest.status == InterestStatus.PENDING
    browser.submit(f"/en/interests/{interest.id}/decide", {"decline": "y", "reason": "already_partnered"},
                   page=f"/en/interests/{interest.id}")
    db_session.refresh(interest)
    assert interest.status == InterestStatus.DECLINED
    browser.sign_out()
    browser.sign_in("aigerim@water.kz", PASSWORD)
    assert "We already have a partner for this" in browser.get(f"/en/interests/{interest.id}").get_data(as_text=True)


def test_nobody_else_reads_a_conversation(browser, client, db_session, parties):
    listing = parties["listing"]
    interest = _pending_interest(browser, db_session, listing)
    browser.sign_in("stranger@else.org", PASSWORD)
    assert browser.get(f"/en/interests/{interest.id}").status_code == 404
    response = browser.submit(f"/en/interests/{interest.id}/decide", {"accept": "y"}, page="/en/interests/")
    assert response.status_code == 404
    assert "Turkistan" not in browser.get("/en/interests/").get_data(as_text=True)
    browser.sign_out()
    assert client.get(f"/en/interests/{interest.id}").status_code == 302  # sign in first
    db_session.refresh(interest)
    assert interest.status == InterestStatus.PENDING


def test_own_institution_cannot_express_interest_and_limits_apply(browser, db_session, make, parties):
    listing = parties["listing"]
    browser.sign_in("chen@drip.cn", PASSWORD)
    assert 'id="interest"' not in browser.get(f"/en/listings/{listing.id}").get_data(as_text=True)
    assert _express(browser, listing.id).status_code == 403
    browser.sign_out()
    browser.sign_in("aigerim@water.kz", PASSWORD)
    short = browser.submit(f"/en/interests/listings/{listing.id}", {"message": "Hello there"},
                           page=f"/en/listings/{listing.id}").get_data(as_text=True)
    assert "Field must be between 20 and 4000 characters long." in short
    assert "Hello there</textarea>" in short  # what was typed is kept
    for _ in range(DAILY_LIMIT):
        _express(browser, listing.id)
    limited = browser.submit(f"/en/interests/listings/{listing.id}", {"message": MESSAGE},
                             page=f"/en/listings/{listing.id}", follow=True)
    assert "many times today" in limited.get_data(as_text=True)


def test_blocked_institution_cannot_express_interest_again(browser, db_session, parties):
    listing = parties["listing"]
    interest = _pending_interest(browser, db_session, listing)
    browser.sign_in("chen@drip.cn", PASSWORD)
    browser.submit(f"/en/interests/{interest.id}/block", {}, page=f"/en/interests/{interest.id}")
    browser.sign_out()
    browser.sign_in("aigerim@water.kz", PASSWORD)
    assert _express(browser, listing.id).status_code == 403


def test_the_listing_side_reports_an_interest_to_the_moderators(browser, db_session, make, parties):
    from portal.moderation.models import ListingReport

    listing = parties["listing"]
    moderator = make.moderator(listing.center, email="mod@example.org")
    db_session.commit()
    interest = _pending_interest(browser, db_session, listing)

    browser.sign_in("aigerim@water.kz", PASSWORD)  # the sender cannot report its own interest
    assert "Report this expression of interest" not in browser.get(f"/en/interests/{interest.id}").get_data(as_text=True)
    refused = browser.submit(f"/en/interests/{interest.id}/report", {"reason": "spam"},
                             page=f"/en/interests/{interest.id}")
    assert refused.status_code == 403
    browser.sign_out()

    browser.sign_in("chen@drip.cn", PASSWORD)
    no_reason = browser.submit(f"/en/interests/{interest.id}/report", {"reason": "", "text": "Sells unrelated pumps."},
                               page=f"/en/interests/{interest.id}")
    assert no_reason.status_code == 200 and "Sells unrelated pumps." in no_reason.get_data(as_text=True)
    browser.submit(f"/en/interests/{interest.id}/report", {"reason": "spam", "text": "Sells unrelated pumps."},
                   page=f"/en/interests/{interest.id}")
    browser.sign_out()
    report = db_session.scalar(select(ListingReport))
    assert report.interest_id == interest.id and report.listing_id == listing.id

    browser.sign_in(moderator.email, PASSWORD)
    reports = browser.get("/en/moderation/reports").get_data(as_text=True)
    assert "About an expression of interest from Turkistan Irrigation Institute" in reports
    assert "Sells unrelated pumps." in reports and MESSAGE in reports
