"""One pass of the worker, and the loop of passes; ``flask worker`` is a thin command over them.

Every step commits its own work, so a failing step never undoes another's, and each is safe
to run again: the mail step claims rows, the matching step holds its position's row lock, and
a digest is claimed per member and period.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from logging import getLogger

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.changes.log import Followed, current_token
from portal.database import utcnow
from portal.extensions import db
from portal.mail.delivery import DeliveryReport, deliver_due
from portal.machine_translation.services import TranslationReport, translate_due
from portal.matching.follow import rematch_changed
from portal.matching.store import refresh_all
from portal.notifications.delivery import send_digests
from portal.notifications.kinds import Frequency, digest_period
from portal.statistics.figures import refresh_due
from portal.taxonomy.models import Center
from portal.worker.models import WorkerPosition

log = getLogger(__name__)
KINDS = ("mail", "match", "digests", "translate", "statistics")
MATCHING = "matching"  # the matching step's row in worker_positions


@dataclass
class PassReport:
    mail: DeliveryReport = field(default_factory=DeliveryReport)
    matched: int | None = None  # listings whose suggestions were computed; None: step not run
    digests: dict[Frequency, int] = field(default_factory=dict)  # digests sent, when a period began
    translations: TranslationReport = field(default_factory=TranslationReport)
    statistics: int = 0  # scopes whose public statistics were recomputed

    def lines(self) -> list[str]:
        """What the pass did, for the command's output; nothing when it found nothing to do."""
        lines = [self.mail.describe()] if self.mail else []
        if self.matched:
            lines.append(f"suggested partners updated for {self.matched} listings")
        lines += [f"{frequency.value} digests sent: {count}" for frequency, count in self.digests.items()]
        if self.translations.made or self.translations.failed:
            lines.append(f"machine translations made: {self.translations.made}, failed: {self.translations.failed}")
        if self.statistics:
            lines.append(f"public statistics recomputed: {self.statistics} scopes")
        return lines


@dataclass
class Worker:
    """The kinds of work this worker does, and what it remembers between passes: the periods
    whose digests it has sent (after a restart it tries once more, which sends nothing twice)."""

    kinds: tuple[str, ...] = KINDS
    digest_periods: dict[Frequency, date] = field(default_factory=dict)

    def run_pass(self, now: datetime | None = None) -> PassReport:
        """One pass, in a request context of its own: links in emails point at PUBLIC_URL, and a
        fresh session sees everything committed since the last pass. Mail goes last, so the
        emails the other steps write leave in the same pass."""
        app = current_app._get_current_object()
        report = PassReport()
        with app.test_request_context(base_url=app.config["PUBLIC_URL"]):
            if "match" in self.kinds:
                report.matched = follow_matches(db.session)
            if "translate" in self.kinds:  # before mail: it never writes email, and may wait on the service
                report.translations = translate_due(db.session, app.config)
            if "digests" in self.kinds:
                report.digests = self.send_due_digests(db.session, now or utcnow())
            if "statistics" in self.kinds:
                report.statistics = refresh_statistics(db.session, now or utcnow())
            if "mail" in self.kinds:
                report.mail = deliver_due(db.session, app.config, now)
        return report

    def send_due_digests(self, session: Session, now: datetime) -> dict[Frequency, int]:
        """This period's digests, on the worker's first pass in each day and each week."""
        sent = {}
        for frequency in (Frequency.DAILY, Frequency.WEEKLY):
            period = digest_period(frequency, now)
            if self.digest_periods.get(frequency) == period:
                continue
            sent[frequency] = len(send_digests(frequency, now).sent)
            session.commit()
            self.digest_periods[frequency] = period
        return sent


def refresh_statistics(session: Session, now: datetime) -> int:
    """The public statistics of the portal and of each center, recomputed once an hour ahead
    of the pages (portal/statistics/figures.py), so no visitor waits for the aggregations."""
    scopes = [(None, "all"), *session.execute(select(Center.id, Center.slug).order_by(Center.position)).all()]
    return refresh_due(session, scopes, now)


def follow_matches(session: Session) -> int | None:
    """Suggested partners for the listings changed since the step's position (every listing
    the first time), then the new position, in one transaction. None when another worker
    holds the position. Web requests never do this: they only record their changes."""
    position = session.scalar(select(WorkerPosition).where(WorkerPosition.name == MATCHING)
                              .with_for_update(skip_locked=True))
    if position is None:
        if session.get(WorkerPosition, MATCHING) is not None:
            session.rollback()
            return None  # locked: another worker is matching
        position = WorkerPosition(name=MATCHING)  # the migration's row was deleted
        session.add(position)
    if position.token is None:
        position.token = current_token(session)  # read first: a change after it is followed next time
        count = refresh_all(session)
    else:
        followed, count = rematch_changed(session, Followed(position.token))
        position.token = followed.token
    position.updated_at = utcnow()
    session.commit()
    return count


def run(worker: Worker, *, interval: float, once: bool = False, stop: threading.Event | None = None,
        echo: Callable[[str], None] = print) -> None:
    """Passes every ``interval`` seconds until ``stop`` is set. A failed pass (the database is
    down…) is logged and the next one tries again; with ``once``, its error is the caller's."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            report = worker.run_pass()
        except Exception:
            if once:
                raise
            log.exception("worker pass failed; next try in %s s", interval)
        else:
            for line in report.lines():
                echo(line)
        if once:
            return
        stop.wait(interval)
