"""Test setup, after SQLAlchemy's own recipe: the schema is built once per session by the
migrations, and every test runs inside a transaction that is rolled back.

Backend: SQLite by default; PostgreSQL when TEST_DATABASE_URL points at a server (a fresh
database is created for the run and dropped after it, so two runs never share state).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from tests.support.databases import fresh_database, migrated, with_thesaurus

pytest_plugins = ["tests.support.factories", "tests.support.web", "tests.support.apps",
                  "tests.support.translation_service", "tests.support.worker"]

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # noqa: ANN201
    # In CI nothing may be skipped: a skip there means the machine lacks something, a failure.
    outcome = yield
    report = outcome.get_result()
    if CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must run everything: {report.longrepr}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(tmp_path_factory.mktemp("db"), "test") as url:
        yield url


def make_test_app(database_url: str, instance: Path, **overrides: object) -> Flask:
    from portal import create_app

    config = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "TESTING": True,
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # fast in tests; production keeps the default cost
        "REDIS_URL": None,
        "SMTP_HOST": None,
        "SERVER_NAME": "portal.test",
        "PUBLIC_URL": "http://portal.test",  # TRUSTED_HOSTS defaults to its host, as in production
    }
    config.update(overrides)
    return create_app(config, instance_path=instance)


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    app = make_test_app(database_url, tmp_path_factory.mktemp("instance"))
    migrated(app)
    with_thesaurus(app)
    return app


@pytest.fixture()
def db_session(app: Flask) -> Iterator[Session]:
    """The test's own session. Requests made during the test get fresh sessions of their own
    (as in production) on the same connection, inside the same rolled-back transaction;
    refresh objects after a request to see what it changed."""
    from portal.database import Database, PortalSession
    from portal.search import facet_cache, vocabulary
    from portal.matching import store

    # The last test's listings were rolled back, whatever the search state says.
    facet_cache.forget_indexes()
    vocabulary.forget_terms()
    store.forget_indexes()
    engine = Database.engine(app)
    connection = engine.connect()
    outer = connection.begin()
    Database.bind_to(app, connection)
    session = PortalSession(bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        Database.bind_to(app, engine)
        outer.rollback()
        connection.close()


@pytest.fixture()
def client(app: Flask, db_session: Session):
    return app.test_client()
