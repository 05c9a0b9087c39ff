"""Styled, translated error pages; JSON errors under /api/.

While the database cannot be reached every request gets a 503 with Retry-After, rendered
without a query (no header centers, no signed-in user: both live in the database). The
engine reconnects by itself (``pool_pre_ping``), so the portal recovers without a restart.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.extensions import db, login_manager
from portal.i18n.routing import redirect_to_localized
from portal.web.public_url import ensure_url_adapter

log = logging.getLogger(__name__)

# Headers of an HTTP error that belong on our page too (Allow on 405, Retry-After on 429/503…).
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Please check what you entered and try again.")),
        401: (_("Sign-in required"), _("Please sign in to continue.")),
        403: (_("Access denied"), _("You do not have permission to see this page or to perform this action.")),
        404: (_("Page not found"), _("There is nothing at this address. It may have been moved or removed.")),
        405: (_("Not allowed"), _("This address does not accept that kind of request.")),
        413: (_("Too large"), _("What you sent is larger than the platform accepts.")),
        429: (_("Too many attempts"), _("Please wait a little and try again.")),
        500: (_("Something went wrong"), _("An unexpected error occurred on our side. It has been logged; please try again later.")),
        503: (_("Temporarily unavailable"), _("The platform cannot reach its database at the moment. "
                                              "Nothing you did caused this; please try again in a minute.")),
    }


def _render(code: int, detail: str | None = None, headers: dict[str, str] | None = None) -> Response:
    ensure_url_adapter(current_app)
    title, text = _messages().get(code, (_("Error"), _("The request could not be completed.")))
    if request.path.startswith("/api/"):
        response = jsonify({"error": {"status": code, "title": title, "message": detail or text}})
    else:
        response = current_app.make_response(
            render_template("web/error.html", code=code, title=title, text=detail or text))
    response.status_code = code
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def is_database_outage(error: BaseException | None) -> bool:
    """The database cannot be reached (refused, terminated, locked): not a bug in a query."""
    while error is not None:
        if isinstance(error, (OperationalError, InterfaceError)):
            return True
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            return True
        error = getattr(error, "original_exception", None) or error.__cause__
    return False


def database_unavailable() -> Response:
    g.database_unavailable = True
    # Flask-Login would load the user from the database: the page is shown as to a visitor.
    g._login_user = login_manager.anonymous_user()
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the pool replaces it later
        log.debug("rollback after a database outage failed", exc_info=True)
    retry_after = str(current_app.config.get("UNAVAILABLE_RETRY_AFTER_SECONDS", 30))
    return _render(503, headers={"Retry-After": retry_after})


def csrf_error_response() -> Response:
    return _render(400, _("This form has expired or was sent from another site. "
                          "Please go back, reload the page and send it again."))


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):
        return csrf_error_response()

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if isinstance(error, InternalServerError) and is_database_outage(error.original_exception):
            return database_unavailable()  # e.g. the commit after the view failed
        if error.code == 404 and request_ctx_has_adapter():
            redirect_response = redirect_to_localized()
            if redirect_response is not None:
                return redirect_response
        if error.code is None or error.code < 400:
            return error
        detail = getattr(error, "portal_message", None)
        kept = {name: value for name, value in error.get_headers() if name in _KEPT_HEADERS}
        return _render(error.code if error.code in _messages() else 400, detail, kept)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if is_database_outage(error):
            log.warning("database unavailable: %s", error)
            return database_unavailable()
        log.exception("unhandled error", exc_info=error)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001
            log.debug("rollback failed", exc_info=True)
        return _render(InternalServerError.code)


def request_ctx_has_adapter() -> bool:
    from flask.globals import request_ctx

    return request_ctx.url_adapter is not None
