"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.database import Database
from portal.migrations import alembic_config
from portal.models import Base
from portal.search.models import include_name


def _diff(connection):
    # The same filter as migrations/env.py: the backend's own search index is not in the models.
    opts = {"compare_type": True, "include_name": include_name}
    context = MigrationContext.configure(connection, opts=opts)
    return compare_metadata(context, Base.metadata)


def test_migrated_schema_matches_models(app):
    with Database.engine(app).connect() as connection:
        assert _diff(connection) == []


def test_downgrade_to_empty_and_upgrade_again(app, tmp_path):
    from tests.conftest import make_test_app

    # PostgreSQL: the run's own database, in one transaction (its DDL is transactional) that is
    # rolled back, so the data the session loaded (the thesaurus) is still there for later tests.
    engine_url = app.config["DATABASE_URL"]
    if engine_url.startswith("sqlite"):
        engine_url = f"sqlite:///{tmp_path / 'roundtrip.db'}"
    other = make_test_app(engine_url, tmp_path)
    engine = Database.engine(other)
    with engine.connect() as connection:
        transaction = connection.begin()
        config = alembic_config(other, connection)
        command.upgrade(config, "head")
        command.downgrade(config, "base")
        assert set(_table_names(connection)) <= {"alembic_version"}
        command.upgrade(config, "head")
        assert _diff(connection) == []
        transaction.rollback()
    engine.dispose()


def _table_names(connection):
    from sqlalchemy import inspect

    return inspect(connection).get_table_names()


def test_upgrading_a_database_with_data_keeps_every_row(tmp_path):
    """SQLite rebuilds tables in batch migrations; that must never cascade-delete child rows."""
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from portal.migrations import MIGRATIONS_DIR

    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "0003")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO centers (id, slug, position, names, descriptions) "
                                "VALUES (1, 'c', 1, '{}', '{}')"))
        connection.execute(text("INSERT INTO institutions (id, name, type, country, city, website, description, "
                                "verification, created_at) VALUES (1, 'I', 'other', 'KZ', '', '', '', 'verified', "
                                "'2026-01-01 00:00:00')"))
        connection.execute(text("INSERT INTO listings (id, center_id, kind, direction, status, institution_id, "
                                "original_language, created_at, updated_at, expires_at, keywords, target_countries, "
                                "working_languages, partner_roles) VALUES (1, 1, 'joint_research', 'offer', "
                                "'published', 1, 'en', '2026-01-01', '2026-01-01', '2030-01-01', '[]', '[]', '[]', '[]')"))
        connection.execute(text("INSERT INTO listing_translations (listing_id, language, title, summary, description) "
                                "VALUES (1, 'en', 'Kept', 'Kept', '')"))
    command.upgrade(config, "head")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT title FROM listing_translations")).scalar() == "Kept"
        assert connection.execute(text("SELECT moderation_message FROM listings")).scalar() == ""
    engine.dispose()
