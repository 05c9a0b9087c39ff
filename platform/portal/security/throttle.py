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
