"""``flask listings match``: every listing's suggested partners at once (nightly, after an import),
and ``--follow`` for a matching-only worker (registered on the listings' command group)."""

from __future__ import annotations

import time

import click
from flask import current_app

from portal.changes.log import Followed, current_token
from portal.extensions import db
from portal.listings.cli import listings_cli
from portal.matching.follow import rematch_changed
from portal.matching.store import refresh_all, store_all_analyses


@listings_cli.command("match")
@click.option("--follow", is_flag=True, help="Then keep taking in every change (as `flask worker` does).")
@click.option("--interval", type=float, default=3.0, show_default=True, help="Seconds between looks for changes.")
def match_listings(follow: bool, interval: float) -> None:
    """Recompute every public listing's suggested partners (nightly, or after an import); with
    --follow, stay and compute them for each listing published or changed from then on."""
    # In a request context on PUBLIC_URL, as the worker's passes: the news of strong new matches
    # links there, and it is written in this command's session (a context of its own would
    # open another session, which nothing commits).
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        _match(follow, interval)


def _match(follow: bool, interval: float) -> None:
    # Every listing's stored text analysis afresh first, committed at once (after an upgrade, or
    # where a change's receiver failed): the recomputation below reads them.
    store_all_analyses(db.session)
    db.session.commit()
    count = refresh_all(db.session)
    followed = Followed(current_token(db.session))
    db.session.commit()
    click.echo(f"suggested partners computed for {count} listings")
    while follow:
        time.sleep(interval)
        followed, updated = rematch_changed(db.session, followed)
        if updated:
            click.echo(f"suggested partners updated for {updated} listings")
        db.session.commit()
        db.session.remove()  # a fresh transaction (and snapshot) for the next look
