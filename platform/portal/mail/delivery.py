"""Sending the outbox over SMTP after commit: the worker's mail step.

A request only writes a queued row (``mail.service``). Here each due row is claimed in a short
transaction of its own, sent with no transaction open (SMTP may take seconds; on SQLite an
open transaction would hold the write lock), and its outcome recorded. A failed try is
repeated after a wait that doubles each time; after MAIL_MAX_ATTEMPTS tries the message is
FAILED with its error, for the admins' outbox page.

Claiming counts the attempt and pushes the row's next attempt past a lease, under
``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL (SQLite serialises writers anyway), so two
workers never send one message. A worker that dies mid-send leaves the row to be tried again
when the lease ends: a message may leave twice, never zero times.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from logging import getLogger

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.mail.models import DeliveryStatus, OutboxMessage

log = getLogger(__name__)
LEASE = timedelta(minutes=5)  # longer than a send can take (SMTP timeout: 15 s per step)
LONGEST_WAIT = timedelta(hours=6)
PER_PASS = 100  # then the worker's other steps get their turn


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __bool__(self) -> bool:
        return bool(self.sent or self.retrying or self.failed)

    def describe(self) -> str:
        return f"emails sent: {self.sent}; to try again: {self.retrying}; failed: {self.failed}"


def retry_wait(attempts: int, first_wait_seconds: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: the first wait, doubled each time."""
    return min(timedelta(seconds=first_wait_seconds * 2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def claim_next(session: Session, now: datetime) -> OutboxMessage | None:
    """The oldest due message, leased to this worker with its attempt counted; commit next."""
    message = session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.status == DeliveryStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(1)
        .with_for_update(skip_locked=True))
    if message is not None:
        message.attempts += 1
        message.next_attempt_at = now + LEASE
        session.flush()
    return message


def deliver_due(session: Session, config: Mapping, now: datetime | None = None) -> DeliveryReport:
    """Send the queued messages that are due, at most PER_PASS of them, committing each
    claim and each outcome. Without SMTP_HOST this worker sends nothing: queued rows wait for
    one that has it (requests then keep new messages in the outbox instead of queueing them)."""
    report = DeliveryReport()
    if not config.get("SMTP_HOST"):
        return report
    now = now or utcnow()
    for _ in range(PER_PASS):
        message = claim_next(session, now)
        session.commit()
        if message is None:
            break
        try:
            send_over_smtp(config, message)
        except Exception as error:  # noqa: BLE001 - one message's failure must not stop the others
            if _failed(message, error, now, config):
                report.failed += 1
            else:
                report.retrying += 1
            unreachable = isinstance(error, OSError)
        else:
            message.status, message.sent_at = DeliveryStatus.SENT, utcnow()
            message.next_attempt_at, message.error = None, ""
            report.sent += 1
            unreachable = False
        session.commit()
        if unreachable:
            break  # the server is down: the other messages wait for the next pass, untried
    return report


def _failed(message: OutboxMessage, error: Exception, now: datetime, config: Mapping) -> bool:
    """Record a failed try; True when it was the last one."""
    message.error = (str(error) or type(error).__name__)[:2000]
    limit = int(config.get("MAIL_MAX_ATTEMPTS", 5))
    log.warning("SMTP delivery of message %s to %s failed (try %s of %s): %s",
                message.id, message.recipient, message.attempts, limit, error)
    if message.attempts >= limit:
        message.status, message.next_attempt_at = DeliveryStatus.FAILED, None
        return True
    message.next_attempt_at = now + retry_wait(message.attempts, int(config.get("MAIL_RETRY_SECONDS", 300)))
    return False


def send_over_smtp(config: Mapping, message: OutboxMessage) -> None:
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid()
    email["Content-Language"] = message.language
    email.set_content(message.body)
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=15) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
        smtp.send_message(email)
