"""``flask listings expire``: the expiry job, for cron (registered on the listings' command group)."""

from __future__ import annotations

import click
from flask import current_app

from portal.database import utcnow
from portal.extensions import db
from portal.listings.cli import listings_cli
from portal.moderation.expiry import run_expiry
from portal.moderation.notifications import remind_before_expiry


@listings_cli.command("expire")
def expire_listings() -> None:
    """Send expiry reminders (30 and 7 days before) and expire listings past their date. For cron."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        report = run_expiry(db.session, utcnow(), remind_before_expiry)
        db.session.commit()
    click.echo(f"reminders sent: {len(report.reminded)}; listings expired: {len(report.expired)}")
