"""The worker's matching step in tests: web requests only record their changes, and suggested
partners (with the news of strong new matches) appear once the worker has made a pass."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy.orm import Session


def run_matching_worker(app: Flask) -> int | None:
    """One pass of ``flask worker --only match``: suggestions for the listings changed since its
    last pass (every listing on its first pass ever). Returns how many it computed."""
    from portal.worker.passes import Worker

    with app.app_context():
        return Worker(kinds=("match",)).run_pass().matched


@pytest.fixture()
def matching_worker(app: Flask, db_session: Session) -> Callable[[], int | None]:
    """A matching worker running since the test began (its first pass, over the data already
    there, is made now): call it for its next pass, as ``flask worker`` would make a few
    seconds after a request. The test's session then sees what the pass wrote."""
    run_matching_worker(app)

    def next_pass() -> int | None:
        matched = run_matching_worker(app)
        db_session.expire_all()
        return matched

    return next_pass
