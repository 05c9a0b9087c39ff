"""Every configuration key the portal reads, in one place.

Each key comes from the environment variable of the same name. ``flask config-help``
prints this table, and docs/configuration.md is that output.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", None, "SQLAlchemy URL. Default: SQLite file instance/portal.db. "
            "Production: postgresql+psycopg://user@host/db"),
    Setting("SECRET_KEY", None, "Signs sessions and tokens. Required in production; "
            "a development key is generated into instance/secret_key otherwise."),
    Setting("REDIS_URL", None, "When set, sign-in throttling counters live in Redis "
            "(shared by all app servers); otherwise in the database."),
    Setting("SMTP_HOST", None, "When set, email is sent through this SMTP server; "
            "every message is also kept in the outbox."),
    Setting("SMTP_PORT", 587, "SMTP port."),
    Setting("SMTP_USERNAME", None, "SMTP user name."),
    Setting("SMTP_PASSWORD", None, "SMTP password."),
    Setting("SMTP_STARTTLS", True, "Use STARTTLS (1/0)."),
    Setting("MAIL_FROM", "China–Central Asia Cooperation Platform <noreply@localhost>",
            "Sender address of outgoing email."),
    Setting("PUBLIC_URL", "http://127.0.0.1:5000", "Address of the portal, used for links in emails "
            "written by cron jobs (expiry reminders), e.g. https://portal.example.org"),
    Setting("MATCHING_IN_REQUESTS", True, "Compute a listing's suggested partners in the request "
            "that publishes it. On a large portal set 0 and run `flask listings match --follow` as "
            "one long-lived worker: it keeps the matching index in memory (about 1 GB at 100,000 "
            "listings) and takes in every change within seconds."),
    Setting("SESSION_COOKIE_SECURE", False, "Set to 1 when served over HTTPS."),
    Setting("TRUSTED_PROXIES", 0, "Number of reverse proxies in front of the app whose "
            "X-Forwarded-For/Proto headers are trusted."),
    Setting("PASSWORD_HASH_METHOD", "scrypt", "Werkzeug password hash method (scrypt KDF)."),
    Setting("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5, "Failed sign-ins per account per window."),
    Setting("LOGIN_MAX_FAILURES_PER_ADDRESS", 30, "Failed sign-ins per client address per window."),
    Setting("LOGIN_FAILURE_WINDOW_SECONDS", 900, "Length of the throttling window."),
    Setting("TOKEN_MAX_AGE_SECONDS", 86400, "Lifetime of email confirmation and reset links."),
)


def _coerce(raw: str, default: object) -> object:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def load_config(instance_path: Path, overrides: dict | None = None) -> dict:
    """Build the Flask config from defaults, the environment and explicit overrides."""
    config: dict[str, object] = {}
    for setting in SETTINGS:
        raw = os.environ.get(setting.name)
        config[setting.name] = setting.default if raw in (None, "") else _coerce(raw, setting.default)
    config.update(overrides or {})

    if not config["DATABASE_URL"]:
        instance_path.mkdir(parents=True, exist_ok=True)
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'portal.db'}"
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _development_secret(instance_path)

    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    # WTForms' own messages are routed through our catalogs (see portal.i18n.forms).
    config.setdefault("WTF_I18N_ENABLED", False)
    config.setdefault("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    return config


def _development_secret(instance_path: Path) -> str:
    """A per-checkout key so development sessions survive restarts; never used when SECRET_KEY is set."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
    return key_file.read_text().strip()
