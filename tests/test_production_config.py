"""Production refuses to start without the settings it cannot guess; development still can."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def bare_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No SECRET_KEY and no debug flag in the environment, a database of its own."""
    for name in ("SECRET_KEY", "FLASK_DEBUG", "PORTAL_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'portal.db'}")
    return tmp_path / "instance"


def test_production_without_secret_key_refuses_to_start_and_says_how_to_set_it(bare_environment):
    from portal import create_app
    from portal.config import ConfigurationError

    with pytest.raises(ConfigurationError) as raised:
        create_app(instance_path=bare_environment)
    message = str(raised.value)
    assert message.startswith("SECRET_KEY is not set.")
    assert "export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')" in message
    assert "--debug" in message
    assert not (bare_environment / "secret_key").exists(), "no per-machine key may be made in production"


def test_the_flask_command_prints_the_message_not_a_traceback(bare_environment):
    from click.testing import CliRunner
    from flask.cli import FlaskGroup

    from portal import create_app

    cli = FlaskGroup(create_app=lambda: create_app(instance_path=bare_environment))
    outcome = CliRunner().invoke(cli, ["config-help"])
    assert outcome.exit_code == 1
    assert "Error: SECRET_KEY is not set." in outcome.output
    assert "Traceback" not in outcome.output


@pytest.mark.parametrize("how", ["DEBUG override", "FLASK_DEBUG", "TESTING override"])
def test_debug_and_testing_use_a_generated_key_kept_in_the_instance_folder(
        bare_environment, monkeypatch: pytest.MonkeyPatch, how: str):
    from portal import create_app

    overrides = {"DEBUG override": {"DEBUG": True}, "TESTING override": {"TESTING": True}}.get(how, {})
    if how == "FLASK_DEBUG":
        monkeypatch.setenv("FLASK_DEBUG", "1")
    first = create_app(dict(overrides), instance_path=bare_environment)
    again = create_app(dict(overrides), instance_path=bare_environment)
    key = first.config["SECRET_KEY"]
    assert len(key) == 64 and again.config["SECRET_KEY"] == key, "development sessions survive restarts"
    assert (bare_environment / "secret_key").read_text().strip() == key


def test_an_explicit_secret_key_is_used_as_given_in_production(bare_environment, monkeypatch):
    from portal import create_app

    monkeypatch.setenv("SECRET_KEY", "shared-by-every-process")
    app = create_app(instance_path=bare_environment)
    assert app.config["SECRET_KEY"] == "shared-by-every-process" and not app.debug
    assert not (bare_environment / "secret_key").exists()


# --- Logging: Alembic speaks only when asked ------------------------------------------------


@pytest.mark.parametrize(("setting", "root", "alembic"), [
    ("", logging.INFO, logging.WARNING),
    ("info", logging.INFO, logging.INFO),
    ("DEBUG", logging.DEBUG, logging.DEBUG),
    ("error", logging.ERROR, logging.ERROR),
])
def test_portal_log_level_sets_the_root_and_alembic_levels(setting, root, alembic):
    from portal.config import log_levels

    assert log_levels(setting) == (root, alembic)


def test_a_wrong_log_level_is_a_configuration_error():
    from portal.config import ConfigurationError, log_levels

    with pytest.raises(ConfigurationError, match="PORTAL_LOG_LEVEL='loud' is not a level"):
        log_levels("loud")


def test_flask_commands_print_no_alembic_info_lines_and_upgrade_says_what_it_ran(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.db'}", "SECRET_KEY": "x"}
    env.pop("PORTAL_LOG_LEVEL", None)

    def flask(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120, check=True)

    # scripts/flask (README): the checkout's flask --app wsgi, from any folder.
    helped = subprocess.run([ROOT / "scripts" / "flask", "--help"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, check=True, env={**env, "PORTAL_VENV": sys.prefix})
    assert "thesaurus" in helped.stdout and "alembic" not in helped.stderr.lower(), helped.stderr
    upgraded = flask("db", "upgrade")
    assert "alembic" not in upgraded.stderr.lower(), upgraded.stderr
    assert upgraded.stdout.startswith("applied 0001: initial schema\n")
