"""The notification centre, per-type email preferences and the digest job."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from portal.users.models import User
from portal.interests.models import Interest
from portal.mail.models import OutboxMessage
from portal.notifications.kinds import Frequency, Kind, digest_period
from portal.notifications.models import Notification
from portal.notifications.services import set_preferences
from tests.support.factories import PASSWORD
from tests.support.flows import approved_drip_request
from tests.support.web import last_email
from tests.test_interests import MESSAGE, _express, parties  # noqa: F401 - fixture

# A Tuesday morning, and the same week's Thursday.
TUESDAY = datetime(2026, 11, 24, 6, 0, tzinfo=timezone.utc)


def _emails_to(db_session, address: str) -> int:
    return db_session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.recipient == address)) or 0


def _user(db_session, email: str) -> User:
    return db_session.scalar(select(User).where(User.email == email))


def _digest(app, frequency: Frequency, now: datetime):
    from portal.extensions import db
    from portal.notifications.delivery import send_digests

    with app.test_request_context(base_url="http://portal.test"):
        report = send_digests(frequency, now)
        db.session.commit()  # as the CLI job does
        return report


def test_digest_periods_are_utc_days_and_iso_weeks():
    assert str(digest_period(Frequency.DAILY, TUESDAY)) == "2026-11-24"
    assert str(digest_period(Frequency.WEEKLY, TUESDAY)) == "2026-11-23"  # that week's Monday
    assert digest_period(Frequency.WEEKLY, TUESDAY + timedelta(days=2)) == digest_period(Frequency.WEEKLY, TUESDAY)
    assert digest_period(Frequency.WEEKLY, TUESDAY + timedelta(days=6)) != digest_period(Frequency.WEEKLY, TUESDAY)


def test_new_interest_shows_in_the_centre_with_an_unread_count(browser, db_session, parties):  # noqa: F811
    listing = parties["listing"]
    browser.sign_in("aigerim@water.kz", PASSWORD)
    _express(browser, listing.id)
    browser.sign_out()

    browser.sign_in("chen@drip.cn", PASSWORD)
    home = browser.get("/en/").get_data(as_text=True)
    assert "1 unread" in home
    centre = browser.get("/en/notifications/").get_data(as_text=True)
    assert "Turkistan Irrigation Institute expressed interest in “Drip irrigation kits”" in centre
    assert 'class="notification unread"' in centre
    notification = db_session.scalar(select(Notification).where(Notification.kind == Kind.INTEREST_RECEIVED))
    assert notification.emailed_at is not None  # immediately, the default for interests

    opened = browser.get(f"/en/notifications/{notification.id}")
    interest = db_session.scalar(select(Interest))
    assert opened.status_code == 302 and opened.location.endswith(f"/en/interests/{interest.id}")
    assert "unread" not in browser.get("/en/").get_data(as_text=True).split("notifications-link")[1].split("</a>")[0]

    zh = browser.get("/zh/notifications/").get_data(as_text=True)
    assert "expressed interest" not in zh and "Turkistan Irrigation Institute" in zh  # in the reader's language


def test_answers_and_messages_notify_the_other_side(browser, db_session, parties):  # noqa: F811
    listing = parties["listing"]
    browser.sign_in("aigerim@water.kz", PASSWORD)
    _express(browser, listing.id)
    browser.sign_out()
    interest = db_session.scalar(select(Interest))
    browser.sign_in("chen@drip.cn", PASSWORD)
    browser.submit(f"/en/interests/{interest.id}/decide", {"accept": "y"}, page=f"/en/interests/{interest.id}")
    browser.submit(f"/en/interests/{interest.id}/messages", {"body": "Welcome to Urumqi in May."},
                   page=f"/en/interests/{interest.id}")
    browser.sign_out()

    browser.sign_in("aigerim@water.kz", PASSWORD)
    centre = browser.get("/en/notifications/").get_data(as_text=True)
    assert "Tianshan Drip Co accepted your interest in “Drip irrigation kits”" in centre
    assert "New message about “Drip irrigation kits”" in centre
    browser.submit("/en/notifications/read", {}, page="/en/notifications/")
    assert 'class="notification unread"' not in browser.get("/en/notifications/").get_data(as_text=True)


def test_daily_digest_collects_what_waited_and_never_sends_twice(app, browser, db_session, parties):  # noqa: F811
    chen = _user(db_session, "chen@drip.cn")
    set_preferences(db_session, chen.id, {Kind.INTEREST_RECEIVED: Frequency.DAILY})
    db_session.commit()
    before = _emails_to(db_session, "chen@drip.cn")

    browser.sign_in("aigerim@water.kz", PASSWORD)
    _express(browser, parties["listing"].id)
    browser.sign_out()
    assert _emails_to(db_session, "chen@drip.cn") == before  # no email now: it waits for the digest
    notification = db_session.scalar(select(Notification).where(Notification.user_id == chen.id))
    assert notification.delivery == Frequency.DAILY

    # Tomorrow morning: the digests below, 2 and 3 hours on, fall on the same day whatever the clock
    # says (from now + 1 minute, a run after 21:00 UTC crossed midnight and failed).
    now = (datetime.now(timezone.utc) + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    report = _digest(app, Frequency.DAILY, now)
    assert chen.id in report.sent
    digest = last_email(db_session, "chen@drip.cn")
    assert digest.language == "zh" and "Turkistan Irrigation Institute" in digest.body
    assert "http://portal.test/zh/interests/" in digest.body  # absolute links in the reader's language

    again = _digest(app, Frequency.DAILY, now + timedelta(hours=2))
    assert chen.id not in again.sent
    assert _emails_to(db_session, "chen@drip.cn") == before + 1

    # Something new the same day waits for tomorrow's digest, and is not lost.
    browser.sign_in("aigerim@water.kz", PASSWORD)
    _express(browser, parties["listing"].id, MESSAGE + " A second idea.")
    browser.sign_out()
    assert chen.id not in _digest(app, Frequency.DAILY, now + timedelta(hours=3)).sent
    assert chen.id in _digest(app, Frequency.DAILY, now + timedelta(days=1)).sent
    assert _emails_to(db_session, "chen@drip.cn") == before + 2


def test_weekly_digest_is_one_per_week(app, db_session, make):
    from portal.notifications.services import record

    user = make.user("weekly@example.org")
    listing = make.listing()
    for day in range(3):
        record(db_session, user.id, Kind.NEW_MATCHES, Frequency.WEEKLY, listing_id=listing.id, data={"count": 2},
               now=TUESDAY - timedelta(days=day + 1))
    db_session.commit()
    assert user.id in _digest(app, Frequency.WEEKLY, TUESDAY).sent
    assert "2 new strong matches" in last_email(db_session, "weekly@example.org").body
    assert user.id not in _digest(app, Frequency.WEEKLY, TUESDAY + timedelta(days=3)).sent
    assert user.id not in _digest(app, Frequency.DAILY, TUESDAY).sent  # weekly items stay out of daily digests
    assert _emails_to(db_session, "weekly@example.org") == 1


def test_off_means_no_email_and_no_notification(browser, db_session, parties):  # noqa: F811
    chen = _user(db_session, "chen@drip.cn")
    set_preferences(db_session, chen.id, {Kind.INTEREST_RECEIVED: Frequency.OFF})
    db_session.commit()
    before = _emails_to(db_session, "chen@drip.cn")
    browser.sign_in("aigerim@water.kz", PASSWORD)
    _express(browser, parties["listing"].id)
    assert _emails_to(db_session, "chen@drip.cn") == before
    assert db_session.scalar(select(Notification).where(Notification.user_id == chen.id)) is None
    assert db_session.scalar(select(Interest)) is not None  # the interest itself is in the inbox


def test_preferences_page_saves_choices(browser, db_session, make):
    make.user("prefs@example.org")
    db_session.commit()
    browser.sign_in("prefs@example.org", PASSWORD)
    page = browser.get("/en/notifications/settings").get_data(as_text=True)
    assert "Another institution expresses interest in one of our listings" in page
    response = browser.submit("/en/notifications/settings", {
        "interest_received": "weekly", "interest_answered": "immediately", "interest_message": "daily",
        "new_matches": "off", "listing_status": "immediately"})
    assert response.status_code == 302
    page = browser.get("/en/notifications/settings").get_data(as_text=True)
    assert '<option selected value="weekly">' in page or 'value="weekly" selected' in page
    from portal.notifications.services import preferences

    chosen = preferences(db_session, _user(db_session, "prefs@example.org").id)
    assert chosen[Kind.INTEREST_RECEIVED] == Frequency.WEEKLY and chosen[Kind.NEW_MATCHES] == Frequency.OFF

    bad = browser.submit("/en/notifications/settings", {"interest_received": "hourly"})
    assert bad.status_code == 200 and "Not a valid choice" in bad.get_data(as_text=True)


def test_nobody_opens_another_members_notifications(browser, client, db_session, make):
    from portal.notifications.services import record

    owner = make.user("owner@example.org")
    make.user("other@example.org")
    notification = record(db_session, owner.id, Kind.NEW_MATCHES, Frequency.IMMEDIATELY,
                          listing_id=make.listing().id, data={"count": 1})
    db_session.commit()
    assert client.get("/en/notifications/").status_code == 302  # sign in first
    browser.sign_in("other@example.org", PASSWORD)
    assert browser.get(f"/en/notifications/{notification.id}").status_code == 404
    assert "new strong match" not in browser.get("/en/notifications/").get_data(as_text=True)
    browser.submit("/en/notifications/read", {}, page="/en/notifications/")
    db_session.refresh(notification)
    assert notification.read_at is None


def test_a_strong_new_match_notifies_the_existing_listings_institution(browser, db_session, make, matching_worker):
    offer, request = approved_drip_request(browser, db_session, make)
    matching_worker()  # the worker computes the suggestions after the approval's commit
    author = offer.author

    told = db_session.scalar(select(Notification).where(Notification.user_id == author.id,
                                                        Notification.kind == Kind.NEW_MATCHES))
    assert told is not None and told.listing_id == offer.id and told.data["partners"] == [request.id]
    assert told.delivery == Frequency.DAILY and told.emailed_at is None  # suggestions wait for the digest
    browser.sign_in("drip@example.cn", PASSWORD)
    centre = browser.get("/en/notifications/").get_data(as_text=True)
    assert "1 new strong match for “Drip irrigation kits for cotton”" in centre
    opened = browser.get(f"/en/notifications/{told.id}")
    assert opened.location.endswith(f"/en/listings/{offer.id}#partners-heading")


def test_expiry_reminders_follow_the_listing_news_preference(app, db_session, make):
    owner = make.institution("Reminded Institute")
    author = make.user("author@example.org", institution=owner, institution_admin=True)
    listing = make.listing(institution=owner, expires_in_days=5)
    listing.author = author
    set_preferences(db_session, author.id, {Kind.LISTING_STATUS: Frequency.WEEKLY})
    db_session.commit()
    result = app.test_cli_runner().invoke(args=["listings", "expire"], catch_exceptions=False)
    assert "reminders sent: 1" in result.output
    assert _emails_to(db_session, "author@example.org") == 0
    reminder = db_session.scalar(select(Notification).where(Notification.user_id == author.id))
    assert reminder.delivery == Frequency.WEEKLY and reminder.data == {"days": 7}


def test_digest_cli_reports_and_is_idempotent(app, db_session, make):
    from portal.notifications.services import record

    user = make.user("cli@example.org")
    record(db_session, user.id, Kind.NEW_MATCHES, Frequency.DAILY, listing_id=make.listing().id, data={"count": 1})
    db_session.commit()
    first = app.test_cli_runner().invoke(args=["notifications", "digest"], catch_exceptions=False)
    second = app.test_cli_runner().invoke(args=["notifications", "digest"], catch_exceptions=False)
    assert "daily digests sent: 1" in first.output
    assert "daily digests sent: 0" in second.output
    assert _emails_to(db_session, "cli@example.org") == 1

