"""Absolute URLs come from the configured PUBLIC_URL, never from the request.

The Host header is whatever the client sent: a reset link built from it would go to
whoever forged it. ``PortalFlask.url_for`` builds every external URL (``_external=True``
in code and templates, feeds, emails, the API) on PUBLIC_URL instead.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request
from flask.globals import request_ctx
from werkzeug.routing import MapAdapter


def absolute_url(path: str, app: Flask | None = None) -> str:
    """``path`` as the application builds it (it starts with the script root) on PUBLIC_URL."""
    base = (app or current_app).config["PUBLIC_URL"].rstrip("/")
    if has_request_context() and request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root):]
    return base + "/" + path.lstrip("/")


def public_url_adapter(app: Flask) -> MapAdapter:
    """A URL adapter bound to PUBLIC_URL: lets an error page render when the Host was refused."""
    parts = urlsplit(app.config["PUBLIC_URL"])
    return app.url_map.bind(parts.netloc or "localhost", script_name=parts.path or "/",
                            url_scheme=parts.scheme or "http")


def ensure_url_adapter(app: Flask) -> None:
    """A request whose Host was refused has no URL adapter; give it one on PUBLIC_URL."""
    if request_ctx and request_ctx.url_adapter is None:
        request_ctx.url_adapter = public_url_adapter(app)


class PortalFlask(Flask):
    def url_for(self, endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
                _scheme: str | None = None, _external: bool | None = None, **values: object) -> str:
        if not has_request_context():  # CLI jobs open a request context on PUBLIC_URL themselves
            return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme,
                                   _external=_external, **values)
        path = super().url_for(endpoint, _anchor=_anchor, _method=_method, **values)
        return absolute_url(path, self) if _external else path
