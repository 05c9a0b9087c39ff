"""Brute-force protection for sign-in and password reset."""

from __future__ import annotations

from flask import current_app

from portal.extensions import db
from portal.security.throttle import AttemptThrottle, Limit


def _store():
    url = current_app.config.get("REDIS_URL")
    if url:
        from portal.security.stores import RedisCounterStore

        client = current_app.extensions.get("portal.redis")
        if client is None:
            import redis

            client = current_app.extensions["portal.redis"] = redis.Redis.from_url(url)
        return RedisCounterStore(client)
    from portal.security.stores import DatabaseCounterStore

    return DatabaseCounterStore(db.session)


def sign_in_throttle() -> AttemptThrottle:
    config = current_app.config
    window = config["LOGIN_FAILURE_WINDOW_SECONDS"]
    return AttemptThrottle(_store(), {
        "account": Limit("signin:account", config["LOGIN_MAX_FAILURES_PER_ACCOUNT"], window),
        "address": Limit("signin:address", config["LOGIN_MAX_FAILURES_PER_ADDRESS"], window),
    })


def reset_throttle() -> AttemptThrottle:
    """Password-reset emails: a few per account, more per address, per window."""
    window = current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"]
    return AttemptThrottle(_store(), {
        "account": Limit("reset:account", 3, window),
        "address": Limit("reset:address", 20, window),
    })
