"""``flask notifications digest``: the daily and weekly summaries, for cron."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from portal.extensions import db
from portal.notifications.kinds import Frequency
from portal.notifications.delivery import send_digests

notifications_cli = AppGroup("notifications", help="Send notification digests.")


@notifications_cli.command("digest")
@click.option("--frequency", type=click.Choice(["daily", "weekly"]), default="daily", show_default=True)
def send_digest(frequency: str) -> None:
    """Send this period's digests (run daily, and weekly). Running it again sends nothing twice."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        report = send_digests(Frequency(frequency))
        db.session.commit()
    click.echo(f"{frequency} digests sent: {len(report.sent)}; already sent this period: {report.already_sent}; "
               f"nothing new: {report.nothing_new}")
