"""gunicorn's settings for the portal: each worker is warm before it takes traffic.

    gunicorn -c python:portal.gunicorn_conf --workers 4 --bind 0.0.0.0:8000 'portal:create_app()'
    gunicorn -c gunicorn.conf.py wsgi:app          # in a checkout (gunicorn.conf.py imports this)

A search needs the process's facet index (``search.facet_cache``). Built at the first search,
it made that request take 3 s at 100,000 listings; here each worker builds it after loading the
app and before accepting a connection, so no visitor waits for it. It is built per worker, not
once in the master with ``preload_app``: the pages a fork shares stay shared only until
Python's reference counts and garbage collector write to them, the database connections must
not cross the fork, and a worker the master starts later (after a crash, or ``max_requests``)
would start from an index as old as the master's; per worker, every start is the same.

The collation tables that sort topic and country lists are read here too (half a second).

While it builds, the worker tells gunicorn's arbiter it is alive (``worker.notify``, as its
request loop does): the arbiter kills a worker it has not heard from within ``--timeout`` (30 s
by default), and at a million listings the build takes longer than that.

The matching index is never built here: only ``flask worker`` computes suggestions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from logging import Logger, getLogger
from typing import Any

log = getLogger(__name__)

HEARTBEAT_SECONDS = 5.0  # well inside gunicorn's timeout (30 s by default)


def warm_up(app: Any, logger: Logger = log) -> float | None:
    """Build ``app``'s facet index now; the seconds it took, or None if it could not (the
    database is down: the worker serves anyway, and its first search builds the index)."""
    from portal.database import READ_ONLY
    from portal.extensions import db
    from portal.i18n.collation import load as load_collation
    from portal.search.facet_cache import current_index

    started = time.perf_counter()
    load_collation()  # the tables that sort topic and country lists (no database needed)
    try:
        with app.app_context():
            try:
                # It only reads: on SQLite it must not hold the write lock for its seconds,
                # or the other workers' warm-ups and requests time out waiting for it.
                db.session.connection(execution_options={READ_ONLY: True})
                current_index(db.session)
            finally:
                db.session.remove()
    except Exception:  # noqa: BLE001 - a cold worker is better than none
        logger.warning("facet index not built before serving (it will be at the first search)", exc_info=True)
        return None
    return time.perf_counter() - started


def post_worker_init(worker: Any) -> None:
    """gunicorn's hook in a new worker, after it loaded the app and before it accepts requests."""
    app = worker.wsgi
    if "portal.db" not in getattr(app, "extensions", {}):
        return  # not the portal's Flask app (wrapped, or another app beside it): nothing to warm
    with heartbeat(worker.notify, HEARTBEAT_SECONDS):
        seconds = warm_up(app, worker.log)
    if seconds is not None:
        worker.log.info("worker %s warm: facet index built in %.1f s", worker.pid, seconds)


@contextmanager
def heartbeat(beat: Callable[[], None], every: float) -> Iterator[None]:
    """Call ``beat`` every ``every`` seconds, from a thread, while the block runs."""
    done = threading.Event()

    def run() -> None:
        while not done.wait(every):
            beat()

    thread = threading.Thread(target=run, name="gunicorn-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
