"""A real server on 127.0.0.1 and a real Chromium driven by Playwright.

The server has its own database (SQLite file, or a fresh PostgreSQL database when
TEST_DATABASE_URL is set), migrated and seeded, because its requests commit for real.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.support.databases import fresh_database, migrated, with_thesaurus

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_executable() -> str | None:
    explicit = os.environ.get("PORTAL_CHROMIUM")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database(tmp_path_factory.mktemp("live"), "live") as url:
        yield url


@pytest.fixture(scope="session")
def live_app(live_database_url: str, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    from tests.conftest import make_test_app

    app = make_test_app(live_database_url, tmp_path_factory.mktemp("live-instance"), SERVER_NAME=None,
                        TRUSTED_HOSTS=["127.0.0.1"])
    migrated(app)
    with_thesaurus(app)
    return app


@pytest.fixture(scope="session")
def live_server(live_app) -> Iterator[str]:  # noqa: ANN001
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    live_app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    try:
        yield live_app.config["PUBLIC_URL"]
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    executable = chromium_executable()
    if executable is None:
        pytest.skip("Chromium is not installed (apt-get install chromium, or set PORTAL_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def page(chromium, tmp_path: Path):  # noqa: ANN001, ANN201
    context = chromium.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    if os.environ.get("PORTAL_SCREENSHOTS"):
        page.screenshot(path=str(Path(os.environ["PORTAL_SCREENSHOTS"]) / f"{uuid.uuid4().hex[:8]}.png"),
                        full_page=True)
    context.close()


@pytest.fixture()
def live_db(live_app):  # noqa: ANN001, ANN201
    """A session on the live server's database, for setting up data; commit what you add."""
    from sqlalchemy.orm import Session

    from portal.database import Database

    with Session(Database.engine(live_app), expire_on_commit=False) as session:
        yield session


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
