"""``flask worker``: the background worker, as a long-lived service or one pass from cron."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.worker.passes import KINDS, Worker, run


@click.command("worker")
@with_appcontext
@click.option("--once", is_flag=True, help="Make one pass, then exit (for cron).")
@click.option("--interval", type=float, default=2.0, show_default=True,
              help="Seconds between passes (suggestions follow a publication within a few of them).")
@click.option("--only", type=click.Choice(KINDS), multiple=True,
              help="Do only this kind of work (repeat for several); default: all of them.")
def worker_command(once: bool, interval: float, only: tuple[str, ...]) -> None:
    """Send the outbox's email, compute suggested partners of changed listings, send the
    daily and weekly digests when due, and make machine translations (with TRANSLATION_URL)."""
    worker = Worker(kinds=only or KINDS)
    config = current_app.config
    if "mail" in worker.kinds and not config.get("SMTP_HOST"):
        click.echo("SMTP_HOST is not set: email stays in the outbox (demo)")
    if "translate" in worker.kinds and not config.get("TRANSLATION_URL"):
        click.echo("TRANSLATION_URL is not set: no machine translations")
    stop = threading.Event()
    if not once:
        # systemd's stop or Ctrl+C: finish the pass under way, then exit.
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda _signum, _frame: stop.set())
        click.echo(f"worker: {', '.join(worker.kinds)}, a pass every {interval:g} s")
    run(worker, interval=interval, once=once, stop=stop, echo=click.echo)
