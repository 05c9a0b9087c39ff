"""Compressed responses (issue 11): Flask-Compress negotiates brotli or gzip with the client's
``Accept-Encoding`` for pages, CSS, JavaScript, SVG, JSON and feeds, and adds ``Vary``."""

from __future__ import annotations

from flask import Flask
from flask_compress import Compress

compress = Compress()


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    compress.init_app(app)
