"""Alembic environment: the portal's metadata, on the connection or URL the caller gives."""

from __future__ import annotations

from alembic import context

import portal.models
from portal.database import make_engine
from portal.search.models import include_name  # leaves the backend's own search index out

config = context.config
target_metadata = portal.models.Base.metadata


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by copying tables
        compare_type=True,
        include_name=include_name,
        # `flask db upgrade` reports each step itself (Alembic's INFO log is quiet by default).
        on_version_apply=config.attributes.get("on_version_apply"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, compare_type=True, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                # Batch migrations rebuild tables by DROP and re-CREATE; with foreign keys on,
                # dropping a parent would cascade-delete its children's rows. The pragma only
                # works outside a transaction, hence on the raw connection before BEGIN.
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            try:
                _run(connection)
                connection.commit()
            finally:
                if sqlite:
                    connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
