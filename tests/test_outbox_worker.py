"""The transactional outbox and the worker: a request only writes email to the outbox, in its
own transaction; ``flask worker`` sends it after commit, tries again with a growing wait, and
also follows listing changes with suggested partners and sends the digests when due."""

from __future__ import annotations

import smtplib
import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.users.models import Role, User
from portal.database import Database, utcnow
from portal.mail.delivery import LEASE, claim_next
from portal.mail.models import DeliveryStatus, OutboxMessage
from portal.matching.models import ListingMatch
from portal.notifications.kinds import Frequency, Kind
from portal.notifications.models import Notification
from portal.worker.passes import PassReport, Worker, run
from tests.support.factories import PASSWORD
from tests.support.flows import approved_drip_request
from tests.support.web import Browser, last_email
from tests.test_moderation_concurrency import committed_app  # noqa: F401 - fixture


@pytest.fixture()
def smtp(monkeypatch):
    """A recording stand-in for ``smtplib.SMTP``: ``sent`` holds what left, ``connections``
    counts every connection opened, and ``failure`` (when set) is raised by each send."""
    record = SimpleNamespace(sent=[], connections=0, failure=None)

    class FakeSMTP:
        def __init__(self, host, port, timeout=None):  # noqa: ANN001
            record.connections += 1

        def __enter__(self):  # noqa: ANN204
            return self

        def __exit__(self, *_exc) -> None:
            pass

        def starttls(self) -> None:
            pass

        def login(self, _user, _password) -> None:  # noqa: ANN001
            pass

        def send_message(self, email) -> None:  # noqa: ANN001
            if record.failure is not None:
                raise record.failure
            record.sent.append(email)

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    return record


@pytest.fixture()
def mail_app(app_with):
    """Configured like production: SMTP is set, so requests queue email for the worker."""
    return app_with(SMTP_HOST="smtp.portal.test", MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_SECONDS=60)


def _pass(app, *kinds: str, now=None) -> PassReport:  # noqa: ANN001
    with app.app_context():
        return Worker(kinds=kinds or ("mail",)).run_pass(now)


def _messages(db_session, recipient: str) -> list[OutboxMessage]:
    db_session.expire_all()
    return list(db_session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                                   .order_by(OutboxMessage.id)))


def _queued(db_session, recipient: str) -> OutboxMessage:
    message = OutboxMessage(recipient=recipient, language="en", subject="Hello", body="Hello.",
                            status=DeliveryStatus.QUEUED, next_attempt_at=utcnow())
    db_session.add(message)
    db_session.commit()
    return message


def test_a_request_that_fails_after_writing_an_email_leaves_nothing_to_send(mail_app, db_session, make, smtp):
    from portal.extensions import db
    from portal.mail.service import send_to_user

    user = make.user("rolled-back@example.org")
    db_session.commit()

    def write_then(outcome: str):  # noqa: ANN202
        send_to_user(db.session, db.session.get(User, user.id), "account_exists", "Your account",
                     login_link="http://portal.test/", reset_link="http://portal.test/")
        if outcome == "raise":
            raise RuntimeError("after the email was written")
        return "refused", 422  # a failed request is rolled back too

    mail_app.add_url_rule("/test/write-then/<outcome>", view_func=write_then)
    client = mail_app.test_client()
    assert client.get("/test/write-then/raise").status_code == 500  # the error page
    assert client.get("/test/write-then/refuse").status_code == 422
    assert smtp.connections == 0
    assert _messages(db_session, "rolled-back@example.org") == []
    assert not _pass(mail_app).mail
    assert smtp.connections == 0


def test_a_committed_email_is_sent_by_the_worker_not_in_the_request(mail_app, db_session, make, smtp):
    make.user("forgetful@example.org")
    db_session.commit()
    browser = Browser(mail_app.test_client())
    assert browser.submit("/en/account/forgot", {"email": "forgetful@example.org"}).status_code == 200
    assert smtp.connections == 0  # the request never talked to SMTP
    [message] = _messages(db_session, "forgetful@example.org")
    assert message.status == DeliveryStatus.QUEUED and message.attempts == 0

    assert _pass(mail_app).mail.sent == 1
    [email] = smtp.sent
    assert email["To"] == "forgetful@example.org" and email["Subject"] == message.subject
    assert "/en/account/reset/" in email.get_content()
    [message] = _messages(db_session, "forgetful@example.org")
    assert message.status == DeliveryStatus.SENT and message.sent_at is not None
    assert message.attempts == 1 and message.next_attempt_at is None and message.error == ""
    assert not _pass(mail_app).mail and len(smtp.sent) == 1  # sent once


def test_a_failing_server_is_tried_again_after_a_doubling_wait_until_the_message_fails(
        mail_app, db_session, make, smtp):
    make.user("unlucky@example.org")
    make.user("postmaster@example.org", role=Role.ADMIN)
    db_session.commit()
    browser = Browser(mail_app.test_client())
    browser.submit("/en/account/forgot", {"email": "unlucky@example.org"})
    smtp.failure = smtplib.SMTPDataError(451, b"Mailbox busy, try again later")

    first = utcnow()
    assert _pass(mail_app, now=first).mail.retrying == 1
    [message] = _messages(db_session, "unlucky@example.org")
    assert message.status == DeliveryStatus.QUEUED and message.attempts == 1
    assert "Mailbox busy" in message.error
    assert message.next_attempt_at == first + timedelta(seconds=60)  # MAIL_RETRY_SECONDS
    browser.sign_in("postmaster@example.org", PASSWORD)
    assert "Queued" in browser.get("/en/admin/outbox/?to=unlucky@example.org").get_data(as_text=True)

    assert not _pass(mail_app, now=first + timedelta(seconds=59)).mail  # not due yet
    second = first + timedelta(seconds=60)
    assert _pass(mail_app, now=second).mail.retrying == 1
    [message] = _messages(db_session, "unlucky@example.org")
    assert message.attempts == 2 and message.next_attempt_at == second + timedelta(seconds=120)  # doubled

    third = second + timedelta(seconds=120)
    assert _pass(mail_app, now=third).mail.failed == 1  # MAIL_MAX_ATTEMPTS=3
    [message] = _messages(db_session, "unlucky@example.org")
    assert message.status == DeliveryStatus.FAILED and message.attempts == 3
    assert "Mailbox busy" in message.error and message.next_attempt_at is None
    assert not _pass(mail_app, now=third + timedelta(days=1)).mail  # given up for good
    assert smtp.sent == [] and smtp.connections == 3
    assert "Failed" in browser.get("/en/admin/outbox/?to=unlucky@example.org").get_data(as_text=True)
    assert "Mailbox busy" in browser.get(f"/en/admin/outbox/{message.id}").get_data(as_text=True)


def test_an_unreachable_server_ends_the_pass_and_the_rest_wait_untried(mail_app, db_session, smtp):
    for number in range(3):
        _queued(db_session, f"queue{number}@example.org")
    smtp.failure = ConnectionRefusedError(111, "Connection refused")
    assert _pass(mail_app).mail.retrying == 1
    assert [_messages(db_session, f"queue{n}@example.org")[0].attempts for n in range(3)] == [1, 0, 0]

    smtp.failure = None
    assert _pass(mail_app).mail.sent == 2  # the first one waits out its retry delay
    assert sorted(email["To"] for email in smtp.sent) == ["queue1@example.org", "queue2@example.org"]


def test_a_claimed_message_is_leased_to_its_worker_until_the_lease_ends(db_session):
    message = _queued(db_session, "leased@example.org")
    now = utcnow()
    claimed = claim_next(db_session, now)
    assert claimed.id == message.id and claimed.attempts == 1
    assert claim_next(db_session, now) is None  # a second worker's claim
    again = claim_next(db_session, now + LEASE + timedelta(seconds=1))  # the first died mid-send
    assert again.id == message.id and again.attempts == 2


def test_two_workers_never_claim_the_same_message(committed_app):  # noqa: F811
    """Two sessions as two workers, on committed rows: on PostgreSQL the second skips the row
    the first holds (SKIP LOCKED), without waiting; SQLite lets one writer in at a time, so
    the second comes after the first's commit and finds that row leased."""
    from sqlalchemy.orm import Session

    engine = Database.engine(committed_app)
    now = utcnow()
    with Session(engine) as setup:
        setup.add_all(OutboxMessage(recipient=f"claim{number}@example.org", language="en", subject="Hello",
                                    body="Hello.", status=DeliveryStatus.QUEUED,
                                    next_attempt_at=now - timedelta(minutes=1)) for number in range(2))
        setup.commit()
    first, second = Session(engine, expire_on_commit=False), Session(engine, expire_on_commit=False)
    with first, second:
        mine = claim_next(first, now)
        if engine.dialect.name == "postgresql":
            theirs = claim_next(second, now)  # while the first still holds its row
            first.commit()
        else:
            first.commit()
            theirs = claim_next(second, now)
        second.commit()
    assert {mine.recipient, theirs.recipient} == {"claim0@example.org", "claim1@example.org"}


def test_without_smtp_email_is_kept_in_the_outbox_and_the_worker_leaves_it(app, browser, db_session, make, smtp):
    make.user("demo@example.org")
    db_session.commit()
    browser.submit("/en/account/forgot", {"email": "demo@example.org"})
    message = last_email(db_session, "demo@example.org")
    assert message.status == DeliveryStatus.KEPT and message.next_attempt_at is None
    assert not _pass(app).mail
    assert _messages(db_session, "demo@example.org")[0].status == DeliveryStatus.KEPT
    assert smtp.connections == 0


def test_one_pass_of_flask_worker_computes_suggestions_and_sends_the_digests(
        app, browser, db_session, make):
    _pass(app, "match")  # the worker's first pass ever: every listing, and a position in the change log
    offer, request = approved_drip_request(browser, db_session, make)
    assert db_session.scalar(select(ListingMatch).where(ListingMatch.listing_id == request.id)) is None
    owner = db_session.scalar(select(User).where(User.email == "drip@example.cn"))

    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "suggested partners updated for" in result.output
    assert "daily digests sent: 2" in result.output  # news of the new match, for both institutions
    db_session.expire_all()
    pair = db_session.scalars(select(ListingMatch.partner_id).where(ListingMatch.listing_id == request.id)).all()
    assert pair == [offer.id]
    news = db_session.scalar(select(Notification).where(Notification.user_id == owner.id,
                                                        Notification.kind == Kind.NEW_MATCHES))
    assert news.digest_id is not None  # matched, then in the daily summary (its default) in the same pass
    assert last_email(db_session, "drip@example.cn").subject == "Your daily summary"
    assert last_email(db_session, "farmer@example.org").subject == "Your daily summary"

    again = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert "suggested partners updated" not in again.output  # nothing changed since
    assert "daily digests sent: 0" in again.output  # already sent today


def test_digests_go_out_on_the_first_pass_of_each_day_and_week(app, db_session, monkeypatch):
    from datetime import datetime, timezone

    calls = []
    monkeypatch.setattr("portal.worker.passes.send_digests",
                        lambda frequency, now: calls.append((frequency, now)) or SimpleNamespace(sent=[]))
    tuesday = datetime(2026, 11, 24, 6, 0, tzinfo=timezone.utc)
    worker = Worker(kinds=("digests",))
    with app.app_context():
        for now in (tuesday, tuesday + timedelta(hours=1), tuesday + timedelta(days=1)):
            worker.run_pass(now)
    assert calls == [(Frequency.DAILY, tuesday), (Frequency.WEEKLY, tuesday),
                     (Frequency.DAILY, tuesday + timedelta(days=1))]


def test_the_loop_logs_a_failed_pass_and_goes_on(caplog):
    stop = threading.Event()

    class Flaky(Worker):
        passes = 0

        def run_pass(self, now=None) -> PassReport:  # noqa: ANN001
            self.passes += 1
            if self.passes == 1:
                raise OSError("the database is unreachable")
            stop.set()
            return PassReport(matched=2)

    lines: list[str] = []
    worker = Flaky()
    run(worker, interval=0, stop=stop, echo=lines.append)
    assert worker.passes == 2 and lines == ["suggested partners updated for 2 listings"]
    assert "worker pass failed" in caplog.text
    with pytest.raises(OSError):
        run(Flaky(), interval=0, once=True)  # from cron, a failed pass fails the command
