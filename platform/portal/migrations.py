"""Alembic configuration built from the app, so ``flask db …`` and tests share one setup."""

from __future__ import annotations

from alembic.config import Config
from flask import Flask

from portal.paths import data_dir

MIGRATIONS_DIR = data_dir("migrations")


def alembic_config(app: Flask, connection=None) -> Config:  # noqa: ANN001
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", app.config["DATABASE_URL"].replace("%", "%%"))
    config.attributes["connection"] = connection
    return config
