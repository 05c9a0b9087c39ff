"""Response headers and CSRF enforcement shared by every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, abort, current_app, g, request, session
from flask_wtf.csrf import CSRFError

from portal.extensions import csrf, db

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
))

# Features no page of the portal uses, switched off for it and for anything it embeds.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
    "microphone", "midi", "payment", "usb", "interest-cohort", "browsing-topics"))

F = TypeVar("F", bound=Callable)


def csrf_checked_by_form(view: F) -> F:
    """Mark a view that re-renders its FlaskForm when the CSRF token is bad, so that nothing
    the user typed is lost.

    The token is still checked before every unsafe request, marked or not (see
    ``enforce_csrf``): for a marked view a bad token does not stop the request, but the
    request can neither store anything nor answer with anything but its re-rendered form.
    A marked view that forgets to validate its form (how ``moderation.verify_institution``
    once verified institutions without a token) therefore changes nothing.
    """
    view.csrf_checked_by_form = True  # type: ignore[attr-defined]
    return view


def csrf_failed() -> bool:
    """This unsafe request's CSRF token was missing or wrong."""
    return g.get("csrf_error") is not None


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
        if request.method in SAFE_METHODS or request.routing_exception is not None:
            return  # no view runs: the 404 or 405 (with its Allow header) answers
        try:
            csrf.protect()
        except CSRFError as error:
            view = current_app.view_functions.get(request.endpoint or "")
            if view is None or not getattr(view, "csrf_checked_by_form", False):
                raise
            g.csrf_error = error
            db.forbid_commit()

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if response.mimetype == "text/html":
            # Pages can show private data; keep them out of shared caches.
            response.headers.setdefault("Cache-Control", "private, no-cache")
        return response

    # Registered last, so it runs first of the after_request functions (headers still follow).
    @app.after_request
    def keep_bad_token_requests_harmless(response: Response) -> Response:
        # A marked view may only answer a bad token by showing its form again (200 or 4xx);
        # anything else (a redirect after "doing" something) is replaced by the CSRF error.
        if csrf_failed() and not (response.status_code == 200 or response.status_code >= 400):
            from portal.web.errors import csrf_error_response

            session.pop("_flashes", None)  # whatever the view announced did not happen
            return csrf_error_response()
        return response
