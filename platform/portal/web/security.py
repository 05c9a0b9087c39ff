"""Response headers and CSRF enforcement shared by every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, abort, current_app, request

from portal.extensions import csrf

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
))

F = TypeVar("F", bound=Callable)


def csrf_checked_by_form(view: F) -> F:
    """Mark a view whose FlaskForm validates the CSRF token itself.

    Such a view re-renders the form with a message when the token is bad, so
    nothing the user typed is lost; every other unsafe request is checked
    before it reaches its view.
    """
    view.csrf_checked_by_form = True  # type: ignore[attr-defined]
    return view


def init_app(app: Flask) -> None:
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False

    @app.before_request
    def refuse_nul_bytes() -> None:
        # No text a person types contains NUL, and PostgreSQL cannot store it: refuse early.
        values = [*request.args.values(), *(request.view_args or {}).values()]
        if request.method not in ("GET", "HEAD") and request.mimetype != "multipart/form-data":
            values += list(request.form.values())
        if any(isinstance(value, str) and "\x00" in value for value in values):
            abort(400)

    @app.before_request
    def enforce_csrf() -> None:
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return
        view = current_app.view_functions.get(request.endpoint or "")
        if view is not None and getattr(view, "csrf_checked_by_form", False):
            return
        csrf.protect()

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if response.mimetype == "text/html":
            # Pages can show private data; keep them out of shared caches.
            response.headers.setdefault("Cache-Control", "private, no-cache")
        return response
