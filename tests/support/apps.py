"""More apps on the test database, with settings of their own, inside the test's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy.orm import Session


@pytest.fixture()
def app_with(database_url: str, db_session: Session, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[Callable[..., Flask]]:
    """``app_with(SERVER_NAME=None, TRUSTED_HOSTS=None)``: an app configured like production in
    the given ways, whose requests share the test's rolled-back transaction."""
    from portal.database import Database
    from tests.conftest import make_test_app

    made: list[Flask] = []

    def build(**overrides: object) -> Flask:
        app = make_test_app(database_url, tmp_path_factory.mktemp("app"), **overrides)
        Database.bind_to(app, db_session.get_bind())
        made.append(app)
        return app

    yield build
    for app in made:
        Database.engine(app).dispose()
