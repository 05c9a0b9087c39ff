"""Addresses without a language: the redirect to the reader's language, the health check, and
``/favicon.ico`` (browsers and feed readers ask for it there, whatever the page links)."""

from __future__ import annotations

from flask import current_app, jsonify, redirect, send_from_directory, url_for
from sqlalchemy import text

from portal.extensions import db
from portal.i18n.routing import negotiate_language
from portal.web.blueprint import bp, root  # noqa: F401 - the app registers them from here


@root.route("/")
def choose_language():
    return redirect(url_for("web.home", lang_code=negotiate_language()))


@root.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        return jsonify({"status": "error", "database": type(error).__name__}), 503
    return jsonify({"status": "ok", "database": "ok"})


@root.route("/favicon.ico")
def favicon():
    return send_from_directory(current_app.static_folder, "img/favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=86400)
