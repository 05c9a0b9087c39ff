"""The throttling rules (pure), and each shared store they run on."""

from __future__ import annotations

import os
import uuid

import pytest

from portal.security.throttle import AttemptThrottle, Limit, MemoryCounterStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


LIMITS = {"account": Limit("a", 3, 60), "address": Limit("ip", 5, 60)}


def test_blocks_after_the_limit_until_the_window_ends():
    clock = Clock()
    throttle = AttemptThrottle(MemoryCounterStore(clock), LIMITS)
    for _ in range(2):
        throttle.record_failure(account="x", address="1.2.3.4")
    assert throttle.retry_after(account="x", address="1.2.3.4") == 0
    throttle.record_failure(account="x", address="1.2.3.4")
    assert 0 < throttle.retry_after(account="x", address="1.2.3.4") <= 61
    assert throttle.retry_after(account="other", address="5.6.7.8") == 0
    clock.now += 61
    assert throttle.retry_after(account="x", address="1.2.3.4") == 0


def test_address_limit_covers_many_accounts():
    throttle = AttemptThrottle(MemoryCounterStore(Clock()), LIMITS)
    for number in range(5):
        throttle.record_failure(account=f"user{number}", address="9.9.9.9")
    assert throttle.retry_after(account="fresh", address="9.9.9.9") > 0


def test_success_resets_the_account_counter_only():
    throttle = AttemptThrottle(MemoryCounterStore(Clock()), LIMITS)
    for _ in range(3):
        throttle.record_failure(account="x", address="1.1.1.1")
    throttle.reset(account="x")
    assert throttle.retry_after(account="x") == 0


def _exercise(store) -> None:  # noqa: ANN001
    key = f"test:{uuid.uuid4().hex}"
    assert store.get(key) == (0, 0)
    assert store.increment(key, 60) == 1
    assert store.increment(key, 60) == 2
    count, remaining = store.get(key)
    assert count == 2 and 0 < remaining <= 61
    store.clear(key)
    assert store.get(key) == (0, 0)
    store.hold(key, 30)
    count, remaining = store.get(key)
    assert count == 1 and 0 < remaining <= 31
    store.clear(key)


def test_database_store(db_session):
    from portal.security.stores import DatabaseCounterStore

    _exercise(DatabaseCounterStore(db_session))


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture()
def redis_client():
    """A real Redis server (CI has one; elsewhere the test is skipped, and a skip fails CI)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis server at {REDIS_URL}")
    return client


def test_redis_store(redis_client):
    from portal.security.stores import RedisCounterStore

    _exercise(RedisCounterStore(redis_client))


def test_sign_in_throttle_uses_redis_when_configured(app, browser, db_session, make, monkeypatch, redis_client):
    client = redis_client
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.delitem(app.extensions, "portal.redis", raising=False)
    email = f"redis-{uuid.uuid4().hex[:8]}@example.org"
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS"]
    for _ in range(limit):
        browser.submit("/en/account/login", {"email": email, "password": "wrong"})
    assert int(client.get(f"signin:account:{email}")) == limit
    assert int(client.get(f"signin:pair:127.0.0.1:{email}")) == limit
    blocked = browser.submit("/en/account/login", {"email": email, "password": "wrong"})
    assert blocked.status_code == 429
    client.delete(f"signin:account:{email}", f"signin:pair:127.0.0.1:{email}", "signin:address:127.0.0.1")
    app.extensions.pop("portal.redis", None)
