"""Counting failed attempts per key in fixed windows. Pure Python: storage is passed in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class CounterStore(Protocol):
    def increment(self, key: str, window_seconds: int) -> int:
        """Add one to ``key`` (starting a window of ``window_seconds`` if none is open); return the count."""

    def get(self, key: str) -> tuple[int, int]:
        """Return ``(count, seconds until the window ends)``; ``(0, 0)`` when no window is open."""

    def clear(self, key: str) -> None: ...

    def hold(self, key: str, seconds: int) -> None:
        """Open (or replace) a window of ``seconds`` on ``key`` with a count of 1."""


@dataclass(frozen=True)
class Limit:
    prefix: str
    max_failures: int
    window_seconds: int

    def key(self, value: str) -> str:
        return f"{self.prefix}:{value}"


class AttemptThrottle:
    """Blocks a key after ``max_failures`` failures until its window ends.

    Sign-in checks two keys at once (the account and the client address), so
    that one account cannot be guessed at from many addresses, nor many
    accounts from one address.
    """

    def __init__(self, store: CounterStore, limits: dict[str, Limit]) -> None:
        self.store = store
        self.limits = limits

    def retry_after(self, **values: str) -> int:
        """Seconds until every named key is free again; 0 when none is blocked."""
        wait = 0
        for name, value in values.items():
            limit = self.limits[name]
            count, remaining = self.store.get(limit.key(value))
            if count >= limit.max_failures:
                wait = max(wait, remaining)
        return wait

    def record_failure(self, **values: str) -> None:
        for name, value in values.items():
            limit = self.limits[name]
            self.store.increment(limit.key(value), limit.window_seconds)

    def reset(self, **values: str) -> None:
        for name, value in values.items():
            self.store.clear(self.limits[name].key(value))


@dataclass(frozen=True)
class SignInRules:
    max_per_account_and_address: int   # failures on one account from one address, per window
    max_per_address: int               # failures from one address on any accounts, per window
    slowdown_after: int                # failures on one account from anywhere: under attack
    slowdown_max_seconds: int
    window_seconds: int


@dataclass(frozen=True)
class Failure:
    account_failures: int   # on this account from every address, in the window
    under_attack_now: bool  # this failure crossed ``slowdown_after``: time to tell the owner


class SignInThrottle:
    """Sign-in throttling after OWASP ASVS V6 (V2.2.1 in 4.0): never a lockout of the account.

    - One address may fail on one account ``max_per_account_and_address`` times per window,
      and on all accounts together ``max_per_address`` times; then that address waits.
    - Once an account has failed ``slowdown_after`` times from anywhere, it is under attack:
      after each further failure, every address that has already failed on it waits a delay
      that doubles (1, 2, 4… seconds, at most ``slowdown_max_seconds``). An attack from many
      addresses is slowed down, not given a way to lock the owner out.
    - An address with no failures is never refused: the owner, signing in from their own
      device, always gets in with the right password.
    """

    def __init__(self, store: CounterStore, rules: SignInRules) -> None:
        self.store = store
        self.rules = rules

    @staticmethod
    def _keys(account: str, address: str) -> dict[str, str]:
        return {"pair": f"signin:pair:{address}:{account}", "address": f"signin:address:{address}",
                "account": f"signin:account:{account}", "slow": f"signin:slow:{account}"}

    def retry_after(self, *, account: str, address: str) -> int:
        """Seconds this address must wait before trying this account again; 0: go ahead."""
        keys, rules = self._keys(account, address), self.rules
        pair_failures, pair_remaining = self.store.get(keys["pair"])
        address_failures, address_remaining = self.store.get(keys["address"])
        wait = 0
        if address_failures >= rules.max_per_address:
            wait = max(wait, address_remaining)
        if pair_failures >= rules.max_per_account_and_address:
            wait = max(wait, pair_remaining)
        if pair_failures:
            _held, slow_remaining = self.store.get(keys["slow"])
            wait = max(wait, slow_remaining)
        return wait

    def record_failure(self, *, account: str, address: str) -> Failure:
        keys, rules = self._keys(account, address), self.rules
        self.store.increment(keys["pair"], rules.window_seconds)
        self.store.increment(keys["address"], rules.window_seconds)
        failures = self.store.increment(keys["account"], rules.window_seconds)
        if failures >= rules.slowdown_after:
            delay = min(2 ** min(failures - rules.slowdown_after, 30), rules.slowdown_max_seconds)
            self.store.hold(keys["slow"], max(1, delay))
        return Failure(failures, failures == rules.slowdown_after)

    def record_success(self, *, account: str, address: str) -> None:
        # The account's own count goes on: the owner signing in does not stop an attack.
        self.store.clear(self._keys(account, address)["pair"])

    def forget_account(self, account: str) -> None:
        """After a password reset: the account starts afresh."""
        for name in ("account", "slow"):
            self.store.clear(self._keys(account, "")[name])


class MemoryCounterStore:
    """For unit tests of the rules; a server never uses it (app servers don't share memory)."""

    def __init__(self, clock) -> None:  # noqa: ANN001 - any callable returning seconds
        self.clock = clock
        self.counters: dict[str, tuple[int, float]] = {}

    def increment(self, key: str, window_seconds: int) -> int:
        count, ends = self.counters.get(key, (0, 0.0))
        now = self.clock()
        if ends <= now:
            count, ends = 0, now + window_seconds
        self.counters[key] = (count + 1, ends)
        return count + 1

    def get(self, key: str) -> tuple[int, int]:
        count, ends = self.counters.get(key, (0, 0.0))
        remaining = ends - self.clock()
        return (count, int(remaining) + 1) if remaining > 0 else (0, 0)

    def clear(self, key: str) -> None:
        self.counters.pop(key, None)

    def hold(self, key: str, seconds: int) -> None:
        self.counters[key] = (1, self.clock() + seconds)
