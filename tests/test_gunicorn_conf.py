"""Warm workers (issue 12): gunicorn's ``post_worker_init`` builds the facet index before the
worker takes traffic, so its first search does not (3 s at 100,000 listings)."""

from __future__ import annotations

import logging
import runpy
import time
from pathlib import Path
from types import SimpleNamespace

from portal import gunicorn_conf
from portal.search import facet_cache

ROOT = Path(__file__).resolve().parent.parent


def test_a_new_worker_builds_its_facet_index_before_serving(app, db_session, make, monkeypatch):
    make.listing(title="Solar pumps for remote pastures")
    db_session.commit()
    builds = []
    build = facet_cache._indexes._build
    monkeypatch.setattr(facet_cache._indexes, "_build", lambda session: builds.append(1) or build(session))

    gunicorn_conf.post_worker_init(SimpleNamespace(wsgi=app, pid=1, log=logging.getLogger("test"),
                                                   notify=lambda: None))
    assert builds == [1]
    with app.test_request_context():  # the first search finds it ready
        from portal.extensions import db

        assert facet_cache.current_index(db.session).live >= 1
    assert builds == [1]


def test_a_worker_serves_even_when_it_cannot_warm_up(app, db_session, monkeypatch, caplog):
    def down(_session):
        raise ConnectionError("the database is down")

    monkeypatch.setattr(facet_cache._indexes, "_build", down)
    assert gunicorn_conf.warm_up(app) is None  # no exception: the worker goes on booting
    assert "facet index not built before serving" in caplog.text


def test_a_worker_tells_the_arbiter_it_is_alive_while_it_warms_up(app, monkeypatch):
    """gunicorn kills a worker it has not heard from within its timeout: a build longer than
    that (a million listings) would have every new worker killed before it served."""
    beats = []
    monkeypatch.setattr(gunicorn_conf, "warm_up", lambda app, logger: time.sleep(0.5) or 0.5)
    monkeypatch.setattr(gunicorn_conf, "HEARTBEAT_SECONDS", 0.05)
    gunicorn_conf.post_worker_init(SimpleNamespace(wsgi=app, pid=1, log=logging.getLogger("test"),
                                                   notify=lambda: beats.append(time.monotonic())))
    assert len(beats) >= 3
    count = len(beats)
    time.sleep(0.2)
    assert len(beats) == count  # and stops once the worker is warm


def test_the_checkouts_gunicorn_conf_is_the_portals():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["post_worker_init"] is gunicorn_conf.post_worker_init


def test_a_warm_up_reads_beside_a_writer(database_url, tmp_path):
    """Several workers warm up at once, and requests write meanwhile: on SQLite a warm-up that took
    the write lock for its seconds made the others time out (the index then built at a search)."""
    from sqlalchemy import create_engine, text

    from tests.conftest import make_test_app

    fresh = make_test_app(database_url, tmp_path / "instance", DATABASE_TIMEOUT_SECONDS=1)
    writer = create_engine(database_url).connect()
    try:
        if writer.dialect.name == "sqlite":
            writer.exec_driver_sql("BEGIN IMMEDIATE")  # another process holds the write lock
        else:
            writer.begin()
        writer.execute(text("UPDATE search_state SET token = token"))
        assert gunicorn_conf.warm_up(fresh) is not None
    finally:
        writer.rollback()
        writer.close()
