"""A fake LibreTranslate: a real HTTP server on loopback, speaking ``/translate`` and ``/languages``.

It "translates" by tagging each text with the target (``[zh] Тамшылатып суару``), so a test can
tell machine text from the original at a glance; the texts in its ``glossary`` it translates
into the words a test needs (a Chinese query that only the machine text answers). ``mode``
makes it misbehave: ``"hang"`` holds every request until the test ends, ``"error"`` answers 500.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

LANGUAGES = ("en", "zh", "ru", "kk", "ky", "tg", "tk", "uz")


@dataclass
class FakeTranslator:
    url: str = ""
    mode: str = "ok"
    calls: list[dict] = field(default_factory=list)  # every /translate request's JSON
    glossary: dict[str, str] = field(default_factory=dict)  # text -> its translation, whatever the target
    released: threading.Event = field(default_factory=threading.Event)

    @property
    def translate_calls(self) -> int:
        return len(self.calls)


def _handler(fake: FakeTranslator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def _answer(self, status: int, body: object) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            if self.path != "/languages":
                return self._answer(404, {"error": "not found"})
            self._answer(200, [{"code": code, "name": code, "targets": [t for t in LANGUAGES if t != code]}
                               for code in LANGUAGES])

        def do_POST(self) -> None:  # noqa: N802
            payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            if self.path != "/translate":
                return self._answer(404, {"error": "not found"})
            fake.calls.append(payload)
            if fake.mode == "hang":
                fake.released.wait(30)
                return None
            if fake.mode == "error":
                return self._answer(500, {"error": "model crashed"})
            texts = payload["q"] if isinstance(payload["q"], list) else [payload["q"]]
            translated = [fake.glossary.get(text, f"[{payload['target']}] {text}") for text in texts]
            self._answer(200, {"translatedText": translated if isinstance(payload["q"], list) else translated[0]})

    return Handler


@pytest.fixture()
def translator() -> Iterator[FakeTranslator]:
    fake = FakeTranslator()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    fake.released.set()  # let hung requests end
    server.shutdown()
    server.server_close()
