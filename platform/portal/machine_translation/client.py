"""Talking to a translation service: one small interface, one class per protocol.

Plain Python (urllib): no Flask, no ORM. Every call has a timeout; a service that keeps failing
opens a circuit breaker, and while it is open no call is made at all, so a hung service costs
one timeout per ``failures`` calls, then nothing until the cool-down ends.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol


class TranslationError(Exception):
    """The service did not translate: unreachable, too slow, refused, or said something odd."""


class CircuitOpen(TranslationError):
    """Not even tried: the service failed too often lately."""


class TranslationService(Protocol):
    engine: str  # what is stored beside each translation ("LibreTranslate at mt.internal")

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]: ...

    def languages(self) -> dict[str, set[str]]: ...


@dataclass
class CircuitBreaker:
    """Closed: calls go through. After ``failures`` failures in a row it opens for
    ``cooldown`` seconds; then one trial call goes through (half-open): success closes it,
    failure opens it again. Shared by the threads of a process."""

    failures: int = 3
    cooldown: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _count: int = 0
    _opened_at: float | None = None
    _trial: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._opened_at is not None and self.clock() - self._opened_at < self.cooldown

    def before_call(self) -> None:
        with self._lock:
            if self._opened_at is None:
                return
            if self.clock() - self._opened_at < self.cooldown or self._trial:
                raise CircuitOpen("the translation service failed too often; not called for now")
            self._trial = True  # half-open: this caller tries, the others wait for its outcome

    def succeeded(self) -> None:
        with self._lock:
            self._count, self._opened_at, self._trial = 0, None, False

    def failed(self) -> None:
        with self._lock:
            self._count += 1
            if self._trial or self._count >= self.failures:
                self._opened_at, self._trial = self.clock(), False


@dataclass
class LibreTranslate:
    """LibreTranslate's HTTP API (``POST /translate``, ``GET /languages``), which other
    self-hosted engines (NLLB-200 servers among them) speak too. ``codes`` maps our language
    codes to the server's where they differ (``{"zh": "zh-Hans"}``)."""

    url: str
    api_key: str | None = None
    timeout: float = 20.0
    retries: int = 1  # tries after the first; a timeout is not tried again (it was slow, not lost)
    retry_wait: float = 0.5
    breaker: CircuitBreaker = field(default_factory=CircuitBreaker)
    codes: dict[str, str] = field(default_factory=dict)
    engine: str = ""

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/")
        self.engine = self.engine or f"LibreTranslate ({self.url.split('://')[-1].split('/')[0]})"

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """The texts in ``target``, in order; empty texts stay empty without being sent."""
        wanted = [text for text in texts if text.strip()]
        if not wanted:
            return ["" for _ in texts]
        payload = {"q": wanted, "source": self.codes.get(source, source),
                   "target": self.codes.get(target, target), "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        answer = self._call("/translate", payload)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if isinstance(translated, str) and len(wanted) == 1:
            translated = [translated]
        if not isinstance(translated, list) or len(translated) != len(wanted) \
                or not all(isinstance(text, str) for text in translated):
            raise TranslationError(f"unexpected answer from {self.url}/translate")
        done = iter(translated)
        return [next(done) if text.strip() else "" for text in texts]

    def languages(self) -> dict[str, set[str]]:
        """Source language -> the targets the service offers, in our codes."""
        ours = {theirs: code for code, theirs in self.codes.items()}
        answer = self._call("/languages", None)
        if not isinstance(answer, list):
            raise TranslationError(f"unexpected answer from {self.url}/languages")
        offered: dict[str, set[str]] = {}
        for entry in answer:
            if isinstance(entry, dict) and isinstance(entry.get("code"), str):
                targets = entry.get("targets") or []
                offered[ours.get(entry["code"], entry["code"])] = {ours.get(t, t) for t in targets if isinstance(t, str)}
        return offered

    def _call(self, path: str, payload: dict | None) -> object:
        self.breaker.before_call()
        for attempt in range(self.retries + 1):
            try:
                answer = self._request(path, payload)
            except TimeoutError as error:
                self.breaker.failed()
                raise TranslationError(f"{self.url}{path} did not answer within {self.timeout:g} s") from error
            except TranslationError:
                if attempt == self.retries:
                    self.breaker.failed()
                    raise
                time.sleep(self.retry_wait * 2 ** attempt)
            else:
                self.breaker.succeeded()
                return answer
        raise AssertionError("unreachable")

    def _request(self, path: str, payload: dict | None) -> object:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(self.url + path, data=data, method="POST" if data else "GET",
                                         headers={"Content-Type": "application/json", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - operator's URL
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            raise TranslationError(f"{self.url}{path} answered {error.code}") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise error.reason from error
            raise TranslationError(f"{self.url}{path}: {error.reason}") from error
        except (ValueError, UnicodeDecodeError) as error:
            raise TranslationError(f"{self.url}{path} answered something other than JSON") from error
        except OSError as error:  # reset connections; socket.timeout is TimeoutError
            if isinstance(error, TimeoutError):
                raise
            raise TranslationError(f"{self.url}{path}: {error}") from error


def parse_codes(setting: str) -> dict[str, str]:
    """``"zh:zh-Hans, uz:uz_Latn"`` -> ``{"zh": "zh-Hans", "uz": "uz_Latn"}``."""
    pairs = (item.split(":", 1) for item in setting.split(",") if ":" in item)
    return {ours.strip(): theirs.strip() for ours, theirs in pairs if ours.strip() and theirs.strip()}
