"""Moderation through the pages: the whole review cycle, scoping, reports, verification, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.users.models import Role
from portal.database import utcnow
from portal.institutions.models import VerificationStatus
from portal.listings.models import ListingStatus
from portal.mail.models import OutboxMessage
from portal.moderation.models import Action, ExpiryReminder, ListingEvent, ListingRevision, RevisionStatus
from tests.support.factories import PASSWORD
from tests.support.web import last_email


@pytest.fixture()
def world(db_session, make):
    desert = make.center("desertification-control")
    education = make.center("education-exchange")
    institution = make.institution("Karakum Sand Lab", country="TM")
    author = make.user("author@example.org", institution=institution, language="tk", name="Aýna Author")
    land = make.moderator(desert, email="land@example.org")
    land.display_name = "Nodira Land"
    edu = make.moderator(education, email="edu@example.org")
    make.user("member@example.org", institution=make.institution())
    db_session.commit()
    return {"desert": desert, "education": education, "institution": institution, "author": author,
            "land": land, "edu": edu}


def _decide(browser, listing_id, data):
    return browser.submit(f"/en/moderation/listings/{listing_id}/decide", data,
                          page=f"/en/moderation/listings/{listing_id}")


def _events(db_session, listing_id):
    return [e.action for e in db_session.scalars(select(ListingEvent).where(ListingEvent.listing_id == listing_id)
                                                  .order_by(ListingEvent.id))]


def test_full_review_cycle_with_a_revision(browser, client, db_session, make, world):
    from tests.test_listings_posting import _form

    # The author submits a listing.
    browser.sign_in("author@example.org", PASSWORD)
    browser.submit("/en/listings/new", _form(world["desert"], title="Saksaul ekmek", language="tk",
                                             summary="Çägeleri berkitmek üçin tejribe."))
    browser.sign_out()
    from portal.listings.models import Listing

    listing = db_session.scalar(select(Listing))
    assert listing.status == ListingStatus.SUBMITTED

    # The moderator sees it in the queue and asks for changes.
    browser.sign_in("land@example.org", PASSWORD)
    queue = browser.get("/en/moderation/").get_data(as_text=True)
    assert "Saksaul ekmek" in queue and "Karakum Sand Lab" in queue
    missing_message = _decide(browser, listing.id, {"request_changes": "y"})
    assert missing_message.status_code == 302
    db_session.refresh(listing)
    assert listing.status == ListingStatus.SUBMITTED  # a request for changes needs a message
    _decide(browser, listing.id, {"request_changes": "y", "message": "Add the planting density, please."})
    db_session.refresh(listing)
    assert listing.status == ListingStatus.CHANGES_REQUESTED
    mail = last_email(db_session, "author@example.org")
    assert mail.language == "tk" and "Add the planting density" in mail.body
    browser.sign_out()

    # The author sees the message, edits and resubmits.
    browser.sign_in("author@example.org", PASSWORD)
    page = browser.get(f"/en/listings/{listing.id}").get_data(as_text=True)
    assert "Add the planting density, please." in page
    browser.submit(f"/en/listings/{listing.id}/edit", _form(world["desert"], title="Saksaul ekmek: 400 düýp/ga",
                                                            language="tk", summary="Tejribe."))
    db_session.refresh(listing)
    assert listing.status == ListingStatus.SUBMITTED
    browser.sign_out()

    # Approved: published, in search, author told.
    browser.sign_in("land@example.org", PASSWORD)
    _decide(browser, listing.id, {"approve": "y"})
    browser.sign_out()
    db_session.refresh(listing)
    assert listing.status == ListingStatus.PUBLISHED
    assert "400 düýp/ga" in client.get("/en/listings/?q=saksaul").get_data(as_text=True)

    # An edit of the published listing waits as a revision; the public keeps the approved text.
    browser.sign_in("author@example.org", PASSWORD)
    browser.submit(f"/en/listings/{listing.id}/edit", _form(world["desert"], title="Saksaul ekmek: täze netijeler",
                                                            language="tk", summary="Tejribe."))
    browser.sign_out()
    db_session.refresh(listing)
    assert listing.status == ListingStatus.PUBLISHED
    assert "täze netijeler" not in client.get(f"/en/listings/{listing.id}").get_data(as_text=True)
    revision = db_session.scalar(select(ListingRevision))
    assert revision.status == RevisionStatus.PENDING

    browser.sign_in("land@example.org", PASSWORD)
    review = browser.get(f"/en/moderation/listings/{listing.id}").get_data(as_text=True)
    assert "<ins>täze netijeler</ins>" in review and "<del>400 düýp/ga</del>" in review
    _decide(browser, listing.id, {"approve": "y", "revision_id": str(revision.id)})
    browser.sign_out()
    assert "täze netijeler" in client.get(f"/en/listings/{listing.id}").get_data(as_text=True)
    assert _events(db_session, listing.id) == [
        Action.SUBMITTED, Action.CHANGES_REQUESTED, Action.SUBMITTED, Action.APPROVED,
        Action.REVISION_SUBMITTED, Action.APPROVED]


def test_reject_with_a_reason(browser, db_session, make, world):
    listing = make.listing(institution=world["institution"], center=world["desert"], status=ListingStatus.SUBMITTED,
                           title="Buy our tractors")
    listing.author = world["author"]
    db_session.commit()
    browser.sign_in("land@example.org", PASSWORD)
    no_reason = _decide(browser, listing.id, {"reject": "y"})
    assert no_reason.status_code == 302
    db_session.refresh(listing)
    assert listing.status == ListingStatus.SUBMITTED
    _decide(browser, listing.id, {"reject": "y", "reason": "advertising", "message": "This is an advert."})
    db_session.refresh(listing)
    assert listing.status == ListingStatus.REJECTED
    event = db_session.scalar(select(ListingEvent).where(ListingEvent.action == Action.REJECTED))
    assert event.reason.value == "advertising" and event.actor_id == world["land"].id
    assert "Buy our tractors" in last_email(db_session, "author@example.org").body


def test_moderators_see_and_decide_only_their_centers(browser, db_session, make, world):
    desert_item = make.listing(center=world["desert"], status=ListingStatus.SUBMITTED, title="Desert item")
    school = make.listing(center=world["education"], status=ListingStatus.SUBMITTED, title="School item")
    db_session.commit()
    browser.sign_in("edu@example.org", PASSWORD)
    queue = browser.get("/en/moderation/").get_data(as_text=True)
    assert "School item" in queue and "Desert item" not in queue
    assert browser.get(f"/en/moderation/listings/{desert_item.id}").status_code == 403
    assert _decide(browser, desert_item.id, {"approve": "y"}).status_code == 403
    db_session.refresh(desert_item)
    assert desert_item.status == ListingStatus.SUBMITTED
    _decide(browser, school.id, {"approve": "y"})
    db_session.refresh(school)
    assert school.status == ListingStatus.PUBLISHED


@pytest.mark.parametrize("path", ["/en/moderation/", "/en/moderation/reports", "/en/moderation/institutions",
                                  "/en/moderation/dashboard", "/en/moderation/log", "/en/moderation/moderators"])
def test_members_cannot_reach_moderation_pages(browser, client, db_session, world, path):
    assert client.get(path).status_code == 302  # anonymous: sign in first
    browser.sign_in("member@example.org", PASSWORD)
    assert browser.get(path).status_code == 403


def test_bulk_approve_and_a_second_decision_is_refused(browser, db_session, make, world):
    first = make.listing(center=world["desert"], status=ListingStatus.SUBMITTED, title="One")
    second = make.listing(center=world["desert"], status=ListingStatus.SUBMITTED, title="Two")
    db_session.commit()
    browser.sign_in("land@example.org", PASSWORD)
    response = browser.submit("/en/moderation/bulk", {"items": [f"l{first.id}", f"l{second.id}"], "approve": "y"},
                              page="/en/moderation/", follow=True)
    assert "2 decided, 0 already decided" in response.get_data(as_text=True)
    again = _decide(browser, first.id, {"reject": "y", "reason": "duplicate"})
    assert again.status_code == 302
    page = browser.get(again.headers["Location"]).get_data(as_text=True)
    assert "Nodira Land already decided on this item: Approved." in page
    db_session.refresh(first)
    assert first.status == ListingStatus.PUBLISHED


def test_report_suspend_restore(browser, client, db_session, make, world):
    listing = make.listing(center=world["desert"], institution=world["institution"], title="Suspicious offer")
    listing.author = world["author"]
    db_session.commit()
    browser.sign_in("member@example.org", PASSWORD)
    browser.submit(f"/en/moderation/report/{listing.id}", {"reason": "misleading", "text": "Fake figures"},
                   page=f"/en/listings/{listing.id}")
    browser.sign_out()
    browser.sign_in("land@example.org", PASSWORD)
    reports = browser.get("/en/moderation/reports").get_data(as_text=True)
    assert "Suspicious offer" in reports and "Fake figures" in reports
    browser.submit(f"/en/moderation/listings/{listing.id}/suspend", {"message": "Figures under review."},
                   page="/en/moderation/reports")
    db_session.refresh(listing)
    assert listing.status == ListingStatus.SUSPENDED
    assert client.application.test_client().get(f"/en/listings/{listing.id}").status_code == 404
    assert "Figures under review." in last_email(db_session, "author@example.org").body
    browser.submit(f"/en/moderation/listings/{listing.id}/restore", {"message": "Checked, all fine."},
                   page="/en/moderation/reports")
    db_session.refresh(listing)
    assert listing.status == ListingStatus.PUBLISHED
    assert _events(db_session, listing.id)[-2:] == [Action.SUSPENDED, Action.RESTORED]


def test_institution_verification(browser, db_session, make, world):
    fresh = make.institution("New Oasis Cooperative", country="UZ", verified=False)
    make.user("head@oasis.uz", institution=fresh, institution_admin=True, language="uz")
    # A moderator verifies institutions that have submitted to their center (moderation.policy).
    make.listing(institution=fresh, center=world["desert"], status=ListingStatus.SUBMITTED)
    db_session.commit()
    browser.sign_in("land@example.org", PASSWORD)
    assert "New Oasis Cooperative" in browser.get("/en/moderation/institutions").get_data(as_text=True)
    browser.submit(f"/en/moderation/institutions/{fresh.id}/ask", {"message": "Please add your registration number."},
                   page="/en/moderation/institutions")
    db_session.refresh(fresh)
    assert fresh.verification == VerificationStatus.DETAILS_REQUESTED
    mail = last_email(db_session, "head@oasis.uz")
    assert mail.language == "uz" and "registration number" in mail.body
    browser.submit(f"/en/moderation/institutions/{fresh.id}/verify", {}, page="/en/moderation/institutions")
    db_session.refresh(fresh)
    assert fresh.is_verified


def test_expiry_job_reminds_once_and_expires(app, db_session, make, world):
    soon = make.listing(center=world["desert"], institution=world["institution"], title="Closing soon",
                        expires_in_days=5)
    soon.author = world["author"]
    month = make.listing(center=world["desert"], institution=world["institution"], title="Closing in a month",
                         expires_in_days=20)
    month.author = world["author"]
    past = make.listing(center=world["desert"], institution=world["institution"], title="Past its date",
                        expires_in_days=10)
    past.expires_at = utcnow() - timedelta(hours=1)
    db_session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["listings", "expire"])
    assert "reminders sent: 2; listings expired: 1" in first.output, first.output
    second = runner.invoke(args=["listings", "expire"])
    assert "reminders sent: 0; listings expired: 0" in second.output
    db_session.refresh(past)
    assert past.status == ListingStatus.EXPIRED
    reminders = db_session.scalars(select(ExpiryReminder).order_by(ExpiryReminder.days_before)).all()
    assert [(r.listing_id, r.days_before) for r in reminders] == [(soon.id, 7), (month.id, 30)]
    mails = db_session.scalar(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.recipient == "author@example.org"))
    assert mails == 2


def test_admin_log_dashboard_and_scopes(browser, db_session, make, world):
    make.user("admin@example.org", role=Role.ADMIN)
    listing = make.listing(center=world["desert"], status=ListingStatus.SUBMITTED, title="Logged item")
    db_session.commit()
    browser.sign_in("land@example.org", PASSWORD)
    _decide(browser, listing.id, {"approve": "y"})
    assert browser.get("/en/moderation/log").status_code == 403  # moderators: no global log
    assert "Decisions in the last 30 days" in browser.get("/en/moderation/dashboard").get_data(as_text=True)
    browser.sign_out()
    browser.sign_in("admin@example.org", PASSWORD)
    log = browser.get("/en/moderation/log?action=approved&moderator=land@example.org").get_data(as_text=True)
    assert "Logged item" in log and "Nodira Land" in log
    assert "Logged item" not in browser.get("/en/moderation/log?action=rejected").get_data(as_text=True)
    browser.submit("/en/moderation/moderators", {"email": "member@example.org", "centers": ["education-exchange"],
                                                 "grant": "y"})
    from portal.users.models import User

    member = db_session.scalar(select(User).where(User.email == "member@example.org"))
    db_session.refresh(member)
    assert member.role == Role.MODERATOR and [c.slug for c in member.moderated_centers] == ["education-exchange"]


def test_expired_listing_leaves_search_but_its_page_says_so(client, db_session, make, world):
    from portal.search.index import rebuild_index

    listing = make.listing(center=world["desert"], title="Old saxaul offer", expires_in_days=10)
    listing.status = ListingStatus.EXPIRED
    rebuild_index(db_session)
    db_session.commit()
    assert "Old saxaul offer" not in client.get("/en/listings/?q=saxaul").get_data(as_text=True)
    page = client.get(f"/en/listings/{listing.id}").get_data(as_text=True)
    assert "Old saxaul offer" in page and "This listing has expired" in page
