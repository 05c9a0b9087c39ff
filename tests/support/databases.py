"""Databases of their own for tests that need one: a temporary SQLite file, or a fresh
PostgreSQL database on TEST_DATABASE_URL's server, dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def fresh_database(directory: Path, prefix: str) -> Iterator[str]:
    server_url = os.environ.get("TEST_DATABASE_URL", "")
    if not server_url.startswith("postgresql"):
        yield f"sqlite:///{directory / f'{prefix}.db'}"
        return
    name = f"portal_{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def migrated(app) -> None:  # noqa: ANN001
    from alembic import command

    from portal.database import Database
    from portal.migrations import alembic_config

    with Database.engine(app).begin() as connection:
        command.upgrade(alembic_config(app, connection), "head")


_SHIPPED_CONCEPTS: list = []


def with_thesaurus(app) -> None:  # noqa: ANN001
    """Load the shipped thesaurus (parsed once per test run) into the app's database, as
    ``flask seed`` does for a real portal."""
    from sqlalchemy.orm import Session as OrmSession

    from portal.database import Database
    from portal.subjects.services import SHIPPED_THESAURUS, load_concepts
    from portal.thesaurus.skos import read_skos

    if not _SHIPPED_CONCEPTS:
        _SHIPPED_CONCEPTS.extend(read_skos(SHIPPED_THESAURUS))
    with Database.engine(app).connect() as connection, OrmSession(bind=connection) as session:
        load_concepts(session, _SHIPPED_CONCEPTS)
        session.commit()
        connection.commit()
