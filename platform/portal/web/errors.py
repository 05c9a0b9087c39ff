"""Styled, translated error pages; JSON errors under /api/."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.extensions import db
from portal.i18n.routing import redirect_to_localized

log = logging.getLogger(__name__)


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
    }


def _render(code: int, detail: str | None = None) -> tuple[Response | str, int]:
    title, text = _messages().get(code, (_("Error"), _("The request could not be completed.")))
    if request.path.startswith("/api/"):
        return jsonify({"error": {"status": code, "title": title, "message": detail or text}}), code
    return render_template("web/error.html", code=code, title=title, text=detail or text), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):
        return _render(400, _("This form has expired or was sent from another site. "
                              "Please go back, reload the page and send it again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 404:
            redirect_response = redirect_to_localized()
            if redirect_response is not None:
                return redirect_response
        if error.code is None or error.code < 400:
            return error
        detail = getattr(error, "portal_message", None)
        return _render(error.code if error.code in _messages() else 400, detail)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("unhandled error", exc_info=error)
        db.session.rollback()
        return _render(InternalServerError.code)
