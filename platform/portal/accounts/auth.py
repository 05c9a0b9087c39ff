"""Flask-Login wiring: who is signed in, and where anonymous visitors are sent."""

from __future__ import annotations

from flask import Flask, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from portal.accounts.models import User
from portal.extensions import db, login_manager


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        ident, _sep, version = user_id.partition(":")
        if not ident.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(ident))
        # A password or email change bumps auth_version and ends every older session.
        if user is None or user.auth_version != int(version):
            return None
        return user

    @login_manager.unauthorized_handler
    def ask_to_sign_in():
        if request.path.startswith("/api/"):
            abort(401)
        flash(_("Please sign in to continue."), "info")
        target = request.full_path if request.query_string else request.path
        return redirect(url_for("accounts.login", next=target))
