"""Issue 13, finding 7: while the database was gone every page answered a bare 500, because the
error page's context processor queried the database. Now: a styled, translated 503 with
Retry-After (JSON under /api/), and recovery without a restart.

Each test runs an app on a database of its own (not the rolled-back test transaction), as a
server does. On PostgreSQL the database refuses connections and its backends are killed
(pg_terminate_backend), between and during requests; on SQLite another process holds the
write lock (every request begins with BEGIN IMMEDIATE) or the file cannot be opened.
"""

from __future__ import annotations

import os
import sqlite3
import threading

import pytest  # noqa: F401
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from tests.support.databases import fresh_database, migrated

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


@pytest.fixture()
def outage_app(tmp_path):  # noqa: ANN201
    from portal.database import Database
    from tests.conftest import make_test_app

    with fresh_database(tmp_path, "outage") as url:
        app = make_test_app(url, tmp_path / "instance", DATABASE_TIMEOUT_SECONDS=1,
                            UNAVAILABLE_RETRY_AFTER_SECONDS=42)
        migrated(app)
        try:
            yield app
        finally:
            Database.engine(app).dispose()


def _assert_unavailable(client) -> None:  # noqa: ANN001
    page = client.get("/ru/listings/")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "42"
    html = page.get_data(as_text=True)
    assert 'lang="ru"' in html and 'class="error-page"' in html and "portal.css" in html
    assert "Internal Server Error" not in html
    api = client.get("/api/v1/listings")
    assert api.status_code == 503 and api.headers["Retry-After"] == "42"
    assert api.json["error"]["status"] == 503
    assert client.get("/healthz").status_code == 503


def _assert_serving(client) -> None:  # noqa: ANN001
    assert client.get("/ru/listings/").status_code == 200
    assert client.get("/api/v1/centers").status_code == 200
    assert client.get("/healthz").json == {"status": "ok", "database": "ok"}


def test_database_outage_gives_503_then_recovers(outage_app):
    # CI runs the suite on both databases, and a skip fails CI: each backend has its own outage.
    if ON_POSTGRES:
        _postgresql_outage(outage_app)
    else:
        _sqlite_outage(outage_app)


def _postgresql_outage(outage_app) -> None:  # noqa: ANN001
    from portal.database import Database

    client = outage_app.test_client()
    name = make_url(outage_app.config["DATABASE_URL"]).database
    admin = create_engine(os.environ["TEST_DATABASE_URL"], isolation_level="AUTOCOMMIT")
    kill = text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()")
    try:
        _assert_serving(client)
        # Killed between requests: the pool notices at checkout and reconnects, nobody sees it.
        with admin.connect() as connection:
            connection.execute(kill, {"name": name})
        _assert_serving(client)

        # Killed during a request, right before its first query.
        armed = threading.Event()
        engine = Database.engine(outage_app)

        def kill_now(*_args) -> None:  # noqa: ANN002
            if armed.is_set():
                armed.clear()
                with admin.connect() as connection:
                    connection.execute(kill, {"name": name})

        event.listen(engine, "before_cursor_execute", kill_now)
        armed.set()
        page = client.get("/ru/listings/")
        event.remove(engine, "before_cursor_execute", kill_now)
        assert page.status_code == 503 and page.headers["Retry-After"] == "42"
        assert 'class="error-page"' in page.get_data(as_text=True)

        # Gone: the database refuses every connection.
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            connection.execute(kill, {"name": name})
        _assert_unavailable(client)
        _assert_unavailable(client)
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        _assert_serving(client)  # the same app object: no restart
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


def _sqlite_outage(outage_app) -> None:  # noqa: ANN001
    client = outage_app.test_client()
    _assert_serving(client)
    path = make_url(outage_app.config["DATABASE_URL"]).database
    holder = sqlite3.connect(path, isolation_level=None, timeout=1)
    holder.execute("BEGIN IMMEDIATE")  # e.g. a long import or a backup holding the write lock
    try:
        _assert_unavailable(client)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _assert_serving(client)


def test_a_database_that_is_not_there_yet_gives_503_until_it_is(tmp_path):
    """The app starts before its database exists (SQLite: its volume is not mounted; PostgreSQL:
    the database is not created yet), then serves as soon as it is there, without a restart."""
    from portal.database import Database
    from tests.conftest import make_test_app

    directory = tmp_path / "not-mounted-yet"
    server = os.environ.get("TEST_DATABASE_URL", "")
    name = f"portal_later_{os.getpid()}_{threading.get_ident() % 10000}"
    url = (make_url(server).set(database=name).render_as_string(hide_password=False) if ON_POSTGRES
           else f"sqlite:///{directory}/portal.db")
    app = make_test_app(url, tmp_path / "instance", DATABASE_TIMEOUT_SECONDS=1,
                        UNAVAILABLE_RETRY_AFTER_SECONDS=42)
    admin = create_engine(server, isolation_level="AUTOCOMMIT") if ON_POSTGRES else None
    try:
        client = app.test_client()
        _assert_unavailable(client)
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        else:
            directory.mkdir()
        migrated(app)
        _assert_serving(client)
    finally:
        Database.engine(app).dispose()
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def test_the_503_page_is_translated(outage_app):
    """Every language gets its page in its own words (ru here), with no database behind it."""
    from portal.database import Database

    client = outage_app.test_client()
    engine = Database.engine(outage_app)

    def refuse(*_args) -> None:  # noqa: ANN002
        raise sqlite3.OperationalError("unable to open database file") if not ON_POSTGRES else \
            __import__("psycopg").OperationalError("connection refused")

    event.listen(engine, "do_connect", refuse)
    engine.dispose()
    try:
        ru = client.get("/ru/")
        en = client.get("/en/").get_data(as_text=True)
        assert ru.status_code == 503
        assert "Temporarily unavailable" in en
        page = ru.get_data(as_text=True)
        assert 'lang="ru"' in page and "About the platform" not in page and "Go to the home page" not in page
    finally:
        event.remove(engine, "do_connect", refuse)
