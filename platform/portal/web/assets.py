"""Fingerprinted static URLs: ``static_url("css/portal.css")`` adds ``?v=<content hash>``, and
a request carrying the current hash is cached for a year (``immutable``). A changed file gets a
new hash, hence a new URL, so browsers never keep a stale copy; a request without the hash (or
with an old one) is answered ``no-cache`` as before."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import Flask, current_app, request, url_for
from werkzeug.wrappers import Response

LONG_CACHE = "public, max-age=31536000, immutable"
_hashes: dict[str, tuple[float, str]] = {}


def fingerprint(filename: str) -> str | None:
    """The first 12 hex digits of the file's SHA-256, cached until its modification time changes."""
    folder = current_app.static_folder
    if not folder:
        return None
    path = Path(folder) / filename
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    cached = _hashes.get(filename)
    if cached and cached[0] == mtime:
        return cached[1]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    _hashes[filename] = (mtime, digest)
    return digest


def static_url(filename: str) -> str:
    digest = fingerprint(filename)
    return url_for("static", filename=filename, v=digest) if digest else url_for("static", filename=filename)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["static_url"] = static_url

    @app.after_request
    def cache_fingerprinted(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code in (200, 304):
            version = request.args.get("v")
            filename = (request.view_args or {}).get("filename", "")
            if version and version == fingerprint(filename):
                response.headers["Cache-Control"] = LONG_CACHE
                response.headers.pop("Expires", None)
        return response
