"""Brute-force protection for sign-in and password reset."""

from __future__ import annotations

from flask import current_app

from portal.extensions import db, redis_client
from portal.security.throttle import AttemptThrottle, Limit, SignInRules, SignInThrottle


def _store():
    client = redis_client()
    if client is not None:
        from portal.security.stores import RedisCounterStore

        return RedisCounterStore(client)
    from portal.security.stores import DatabaseCounterStore

    return DatabaseCounterStore(db.session)


def sign_in_throttle() -> SignInThrottle:
    config = current_app.config
    return SignInThrottle(_store(), SignInRules(
        max_per_account_and_address=config["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS"],
        max_per_address=config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
        slowdown_after=config["LOGIN_SLOWDOWN_AFTER_ACCOUNT_FAILURES"],
        slowdown_max_seconds=config["LOGIN_SLOWDOWN_MAX_SECONDS"],
        window_seconds=config["LOGIN_FAILURE_WINDOW_SECONDS"]))


def registration_throttle() -> AttemptThrottle:
    """Registrations send email: a few per address, and per email address, per window."""
    config = current_app.config
    window = config["REGISTRATION_WINDOW_SECONDS"]
    return AttemptThrottle(_store(), {
        "account": Limit("register:account", 3, window),
        "address": Limit("register:address", config["REGISTRATIONS_PER_ADDRESS"], window),
    })


def reset_throttle() -> AttemptThrottle:
    """Password-reset emails: a few per account, more per address, per window."""
    window = current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"]
    return AttemptThrottle(_store(), {
        "account": Limit("reset:account", 3, window),
        "address": Limit("reset:address", 20, window),
    })
