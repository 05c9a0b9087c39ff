"""Every configuration key the portal reads, in one place.

Each key comes from the environment variable of the same name. ``flask config-help``
prints this table, and docs/configuration.md is that output.
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import click

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
    Setting("SECRET_KEY", None, "Signs sessions and tokens; every process and machine needs the same "
            "one. Required unless debug is on (flask --debug, FLASK_DEBUG=1) or under TESTING, where "
            "a development key is generated into instance/secret_key."),
    Setting("REDIS_URL", None, "When set, sign-in throttling counters, the home page's figures and "
            "the shared page cache live in Redis (shared by all app servers); otherwise in the database."),
    Setting("PAGE_CACHE_SECONDS", 60, "How long a public page (home, listings, search, the API's "
            "listings) rendered for a visitor who is not signed in is served to the next ones, by every "
            "process, unless public content changes first (any change to it empties the cache at "
            "once). 0 turns the shared page cache off."),
    Setting("SMTP_HOST", None, "When set, the worker (`flask worker`) sends email through this SMTP "
            "server after the request that wrote it commits; every message is also kept in the outbox. "
            "Unset: messages are only kept in the outbox (demo)."),
    Setting("SMTP_PORT", 587, "SMTP port."),
    Setting("SMTP_USERNAME", None, "SMTP user name."),
    Setting("SMTP_PASSWORD", None, "SMTP password."),
    Setting("SMTP_STARTTLS", True, "Use STARTTLS (1/0)."),
    Setting("MAIL_MAX_ATTEMPTS", 5, "Tries of an email before the worker gives up on it (Failed, with "
            "the error, in the admins' outbox)."),
    Setting("MAIL_RETRY_SECONDS", 300, "Wait after an email's first failed try; it doubles after each "
            "next one."),
    Setting("MAIL_FROM", "China–Central Asia Cooperation Platform <noreply@localhost>",
            "Sender address of outgoing email."),
    Setting("PUBLIC_URL", "http://127.0.0.1:5000", "Address of the portal, e.g. https://portal.example.org. "
            "Every absolute link (emails, feeds, hreflang alternates, the API's server) is built from it, "
            "never from the request's Host header. Set it in production."),
    Setting("TRUSTED_HOSTS", "", "Host names the portal answers to, separated by commas (a leading dot "
            "allows subdomains: .example.org); any other Host header gets 400. Empty: the host of "
            "PUBLIC_URL (with localhost and 127.0.0.1 when that is a loopback address). '*' turns the "
            "check off."),
    Setting("TRANSLATION_URL", None, "Address of a LibreTranslate-compatible machine translation service "
            "(LibreTranslate, or an NLLB-200 server speaking its API), e.g. http://127.0.0.1:5001. Unset: no "
            "machine translation; pages are as without it."),
    Setting("TRANSLATION_API_KEY", None, "API key sent to the translation service, if it asks for one."),
    Setting("TRANSLATION_LANGUAGES", "", "Languages (codes separated by commas, e.g. zh,ru,en) the worker "
            "translates every published listing into. Empty: only what readers ask for with 'Translate'."),
    Setting("TRANSLATION_LANGUAGE_CODES", "", "The service's codes where they differ from ours, e.g. "
            "zh:zh-Hans (newer LibreTranslate)."),
    Setting("TRANSLATION_TIMEOUT_SECONDS", 30, "How long the worker waits for one translation (tried "
            "once more after an error, not after a timeout)."),
    Setting("TRANSLATION_REQUEST_TIMEOUT_SECONDS", 3, "How long a reader's 'Translate' waits for the service "
            "before leaving the translation to the worker ('translation requested'). No other page calls it."),
    Setting("TRANSLATION_BREAKER_FAILURES", 3, "Failures in a row after which the service is not called "
            "for TRANSLATION_BREAKER_SECONDS (circuit breaker, per process)."),
    Setting("TRANSLATION_BREAKER_SECONDS", 60, "How long the service rests after those failures; then one "
            "trial call decides."),
    Setting("SESSION_COOKIE_SECURE", False, "Set to 1 when served over HTTPS (also sends HSTS with "
            "includeSubDomains)."),
    Setting("REMEMBER_COOKIE_DAYS", 30, "Lifetime of the 'keep me signed in' cookie, and the longest a "
            "server-side session lives."),
    Setting("DATABASE_TIMEOUT_SECONDS", 10, "How long a request waits for the database (PostgreSQL: "
            "to connect; SQLite: for a lock) before it gets the 503 'temporarily unavailable' page."),
    Setting("UNAVAILABLE_RETRY_AFTER_SECONDS", 30, "Retry-After of the 503 page served while the "
            "database cannot be reached."),
    Setting("TRUSTED_PROXIES", 0, "Number of reverse proxies in front of the app whose "
            "X-Forwarded-For/Proto headers are trusted."),
    Setting("PASSWORD_HASH_METHOD", "scrypt", "Werkzeug password hash method (scrypt KDF)."),
    Setting("LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS", 5, "Failed sign-ins to one account from one "
            "client address per window; then that address must wait for that account."),
    Setting("LOGIN_MAX_FAILURES_PER_ADDRESS", 30, "Failed sign-ins per client address per window, "
            "whatever the accounts; then the address must wait."),
    Setting("LOGIN_SLOWDOWN_AFTER_ACCOUNT_FAILURES", 10, "Failed sign-ins to one account from all "
            "addresses per window before the account is under attack: its owner gets an email, and "
            "addresses that already failed on it wait longer after each failure (doubling, see "
            "LOGIN_SLOWDOWN_MAX_SECONDS). The right password from an address with no failures always "
            "works."),
    Setting("LOGIN_SLOWDOWN_MAX_SECONDS", 300, "Longest wait of the progressive slowdown."),
    Setting("LOGIN_FAILURE_WINDOW_SECONDS", 900, "Length of the throttling window."),
    Setting("REGISTRATIONS_PER_ADDRESS", 5, "Registration attempts per client address per "
            "REGISTRATION_WINDOW_SECONDS (each sends an email)."),
    Setting("REGISTRATION_WINDOW_SECONDS", 3600, "Length of the registration throttling window."),
    Setting("TOKEN_MAX_AGE_SECONDS", 86400, "Lifetime of email confirmation and reset links."),
    Setting("PORTAL_LOG_LEVEL", "", "Level of the log on standard error (DEBUG, INFO, WARNING, ERROR). "
            "Empty: INFO, with Alembic's own messages from WARNING up (`flask db upgrade` still says "
            "which migrations it ran); any level set here applies to Alembic too."),
)


def log_levels(setting: object) -> tuple[int, int]:
    """(the root logger's level, Alembic's) for PORTAL_LOG_LEVEL. Alembic reports at INFO every
    plugin it sets up, on every command: it only speaks at that level when asked to."""
    name = str(setting or "").strip().upper()
    if not name:
        return logging.INFO, logging.WARNING
    level = logging.getLevelNamesMapping().get(name)
    if level is None:
        raise ConfigurationError(f"PORTAL_LOG_LEVEL={setting!r} is not a level: use DEBUG, INFO, "
                                 "WARNING or ERROR (empty: INFO, Alembic from WARNING).")
    return level, level


def _coerce(raw: str, default: object) -> object:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


class ConfigurationError(click.ClickException):
    """A setting the portal cannot start without is missing or wrong. A ``ClickException``, so
    that ``flask`` prints it as an error message instead of a traceback (under gunicorn it is an
    ordinary exception: the worker fails to boot and the arbiter stops)."""


MISSING_SECRET_KEY = """SECRET_KEY is not set.

It signs sessions, CSRF tokens and the links in emails, so every web process, worker and cron
job must share one key that survives restarts. Generate one once, keep it with your other
secrets, and set it in the environment of every process:

    export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')

For development, turn debug on instead (scripts/flask --debug ... in a checkout, flask --debug
..., or FLASK_DEBUG=1), or start the demo with python3 scripts/run.py: both use a key generated
into instance/secret_key."""


def load_config(instance_path: Path, overrides: dict | None = None, *, debug: bool = False) -> dict:
    """Build the Flask config from defaults, the environment and explicit overrides.

    ``debug`` is Flask's debug flag (``--debug``, ``FLASK_DEBUG``); with it, or with ``DEBUG`` or
    ``TESTING`` among the overrides, a missing SECRET_KEY is generated into the instance folder.
    Otherwise (production) a missing SECRET_KEY raises ``ConfigurationError``."""
    config: dict[str, object] = {}
    for setting in SETTINGS:
        raw = os.environ.get(setting.name)
        config[setting.name] = setting.default if raw in (None, "") else _coerce(raw, setting.default)
    config.update(overrides or {})

    if not config["DATABASE_URL"]:
        instance_path.mkdir(parents=True, exist_ok=True)
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'portal.db'}"
    if not config["SECRET_KEY"]:
        if not (debug or config.get("DEBUG") or config.get("TESTING")):
            raise ConfigurationError(MISSING_SECRET_KEY)
        config["SECRET_KEY"] = _development_secret(instance_path)

    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    config["REMEMBER_COOKIE_DURATION"] = timedelta(days=int(config["REMEMBER_COOKIE_DAYS"]))
    config["PUBLIC_URL"] = str(config["PUBLIC_URL"]).rstrip("/")
    # Flask (3.1+) reads TRUSTED_HOSTS itself and answers 400 to any other Host header.
    config["TRUSTED_HOSTS"] = trusted_hosts(config["TRUSTED_HOSTS"], config["PUBLIC_URL"])
    # WTForms' own messages are routed through our catalogs (see portal.i18n.forms).
    config.setdefault("WTF_I18N_ENABLED", False)
    config.setdefault("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    return config


_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def trusted_hosts(raw: object, public_url: str) -> list[str] | None:
    """TRUSTED_HOSTS as Werkzeug wants it: a list of names (``.example.org`` for subdomains), or
    ``None`` to accept any Host ("*")."""
    if isinstance(raw, (list, tuple)):
        return list(raw)
    if raw is None or str(raw).strip() == "*":
        return None
    names = [name.strip().lower() for name in str(raw).split(",") if name.strip()]
    if names:
        return names
    host = (urlsplit(public_url).hostname or "").lower()
    return list(_LOOPBACK) if host in _LOOPBACK else [host]


def _development_secret(instance_path: Path) -> str:
    """A per-machine key so development sessions survive restarts; only with debug on or under
    TESTING, never when SECRET_KEY is set (processes on two machines would not share it)."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
    return key_file.read_text().strip()
