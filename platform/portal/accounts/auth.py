"""Flask-Login wiring: who is signed in, and where anonymous visitors are sent."""

from __future__ import annotations

from flask import Flask, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from portal.accounts import sessions
from portal.accounts.services import AccountService
from portal.accounts.tokens import EmailTokens
from portal.users.models import User
from portal.extensions import db, login_manager


def account_service() -> AccountService:
    """The account service with this app's secret, token lifetime and password hashing."""
    config = current_app.config
    tokens = EmailTokens(config["SECRET_KEY"], config["TOKEN_MAX_AGE_SECONDS"])
    return AccountService(db.session, tokens, config["PASSWORD_HASH_METHOD"])


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        ident, version, token = (user_id.split(":", 2) + ["", ""])[:3]
        if not ident.isdigit() or not version.isdigit() or len(token) > 100:
            return None
        # The server-side session must still exist (sign-out deletes it), and a password or
        # email change bumps auth_version, which ends every older session.
        return sessions.load(db.session, int(ident), int(version), token)

    @login_manager.unauthorized_handler
    def ask_to_sign_in():
        if request.path.startswith("/api/"):
            abort(401)
        flash(_("Please sign in to continue."), "info")
        target = request.full_path if request.query_string else request.path
        return redirect(url_for("accounts.login", next=target))
