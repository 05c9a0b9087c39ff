"""Account pages. Each view: load, check access, call the service, render or redirect."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from portal.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from portal.accounts import sessions
from portal.accounts.auth import account_service
from portal.accounts.services import AccountService, EmailTaken, NewAccount, WrongPassword
from portal.accounts.tokens import EmailTokens, TokenExpired, TokenInvalid
from portal.extensions import db
from portal.i18n.forms import PortalForm, options
from portal.i18n.routing import current_language
from portal.institutions.models import Institution
from portal.institutions.forms import institution_choices
from portal.institutions.services import InstitutionService
from portal.mail.service import send_to_user
from portal.saved_searches.services import of_user as saved_searches_of
from portal.security import registration_throttle, reset_throttle, sign_in_throttle
from portal.web.navigation import redirect_next
from portal.web.security import csrf_checked_by_form

bp = Blueprint("accounts", __name__, template_folder="templates")


def send_confirmation(user) -> None:  # noqa: ANN001
    token = account_service().confirmation_token(user)
    send_to_user(db.session, user, "confirm_email", _l("Confirm your email address"),
                 link=url_for("accounts.confirm_email", token=token, lang_code=user.preferred_language,
                              _external=True))


def _token_problem(error: TokenInvalid) -> str:
    if isinstance(error, TokenExpired):
        return _("This link has expired. Ask for a new one below.")
    return _("This link is not valid. It may have been used already or copied incompletely.")


def _start_session(user, remember: bool) -> None:  # noqa: ANN001
    # A fresh session on every sign-in: nothing from before survives (session fixation).
    session.clear()
    sessions.start(db.session, user, current_app.config["REMEMBER_COOKIE_DURATION"])
    login_user(user, remember=remember)


@bp.app_template_global()
def link_lifetime() -> str:
    """How long email links stay valid (TOKEN_MAX_AGE_SECONDS), in words."""
    seconds = current_app.config["TOKEN_MAX_AGE_SECONDS"]
    if seconds >= 3600 and seconds % 3600 == 0:
        return ngettext("%(num)d hour", "%(num)d hours", seconds // 3600)
    return ngettext("%(num)d minute", "%(num)d minutes", max(1, -(-seconds // 60)))


def _client_address() -> str:
    return request.remote_addr or "unknown"


def _too_many(form, wait_seconds: int) -> None:  # noqa: ANN001
    minutes = max(1, -(-wait_seconds // 60))
    form.form_errors.append(ngettext("Too many attempts. Try again in %(num)d minute.",
                                     "Too many attempts. Try again in %(num)d minutes.", minutes))


@bp.route("/register", methods=["GET", "POST"])
@csrf_checked_by_form
def register():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = RegisterForm(preferred_language=current_language())
    form.institution_id.choices = institution_choices()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        throttle = registration_throttle()
        keys = {"account": email, "address": _client_address()}
        wait = throttle.retry_after(**keys)
        if wait:
            _too_many(form, wait)
            return render_template("accounts/register.html", form=form), 429
        throttle.record_failure(**keys)
        service = account_service()
        try:
            user = service.register(NewAccount(
                email=form.email.data, password=form.password.data,
                display_name=form.display_name.data, preferred_language=form.preferred_language.data))
        except EmailTaken:
            # The same answer as for a new account: the page must not tell who is registered.
            # The owner learns of it by email instead.
            service.hash_password(form.password.data)  # the same time spent, too
            owner = service.find_by_email(email)
            send_to_user(db.session, owner, "account_exists", _l("Someone tried to register with your email address"),
                         login_link=url_for("accounts.login", lang_code=owner.preferred_language, _external=True),
                         reset_link=url_for("accounts.forgot_password", lang_code=owner.preferred_language,
                                            _external=True))
        else:
            institutions = InstitutionService(db.session)
            if form.institution_mode.data == "new":
                institutions.create(user, form.institution.form.details())
            else:
                institutions.request_to_join(user, db.session.get(Institution, form.institution_id.data))
            send_confirmation(user)
        return render_template("accounts/register_sent.html", email=form.email.data.strip())
    return render_template("accounts/register.html", form=form)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@csrf_checked_by_form
def confirm_email(token: str):
    form = ConfirmForm()
    try:
        # GET only shows a button: opening a link (or a mail scanner fetching it) changes nothing.
        if form.validate_on_submit():
            account_service().confirm_email(token)
            flash(_("Thank you, your email address is confirmed."), "success")
            return redirect(url_for("accounts.settings") if current_user.is_authenticated
                            else url_for("accounts.login"))
        account_service().tokens.read("confirm", token)
    except TokenInvalid as error:
        return render_template("accounts/token_problem.html", message=_token_problem(error),
                               retry_endpoint="accounts.settings"), 400
    return render_template("accounts/confirm.html", form=form, title=_("Confirm your email address"))


@bp.route("/confirm/resend", methods=["POST"])
@login_required
def resend_confirmation():
    if not current_user.email_confirmed:
        send_confirmation(current_user)
        flash(_("We have sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("accounts.settings"))


@bp.route("/login", methods=["GET", "POST"])
@csrf_checked_by_form
def login():
    if current_user.is_authenticated:
        return redirect_next("web.home")
    form = LoginForm()
    if form.validate_on_submit():
        throttle = sign_in_throttle()
        keys = {"account": form.email.data.strip().lower(), "address": _client_address()}
        wait = throttle.retry_after(**keys)
        if wait:
            minutes = max(1, -(-wait // 60))
            form.form_errors.append(ngettext("Too many failed attempts. Try again in %(num)d minute.",
                                             "Too many failed attempts. Try again in %(num)d minutes.", minutes))
            response = current_app.make_response((render_template("accounts/login.html", form=form), 429))
            response.headers["Retry-After"] = str(wait)
            return response
        service = account_service()
        user = service.authenticate(form.email.data, form.password.data)
        if user is None:
            failure = throttle.record_failure(**keys)
            if failure.under_attack_now:
                _warn_owner(service.find_by_email(keys["account"]), failure.account_failures)
            form.form_errors.append(_("The email address or password is not correct."))
        else:
            throttle.record_success(**keys)
            _start_session(user, remember=form.remember.data)
            # Back where the visitor came from, in the language of the page they signed in on
            # (not the account's stored language: a Russian page must not answer in Uzbek).
            return redirect_next("web.home")
    return render_template("accounts/login.html", form=form)


def _warn_owner(user, failures: int) -> None:  # noqa: ANN001
    """Tell the owner that their account is being guessed at (once per throttling window)."""
    if user is None:
        return
    send_to_user(db.session, user, "sign_in_attempts", _l("Someone is trying to sign in to your account"),
                 failures=failures, minutes=max(1, current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"] // 60),
                 link=url_for("accounts.forgot_password", lang_code=user.preferred_language, _external=True))


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        sessions.end(db.session, current_user.session_token)
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("web.home"))


@bp.route("/sessions/end-all", methods=["POST"])
@login_required
def sign_out_everywhere():
    sessions.end_all(db.session, current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/forgot", methods=["GET", "POST"])
@csrf_checked_by_form
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        throttle = reset_throttle()
        keys = {"account": form.email.data.strip().lower(), "address": request.remote_addr or "unknown"}
        if throttle.retry_after(**keys):
            form.form_errors.append(_("Too many reset requests. Please wait a while before asking again."))
            return render_template("accounts/forgot.html", form=form), 429
        throttle.record_failure(**keys)
        service = account_service()
        user = service.find_by_email(form.email.data)
        if user is not None:
            send_to_user(db.session, user, "reset_password", _l("Reset your password"),
                         link=url_for("accounts.reset_password", token=service.reset_token(user),
                                      lang_code=user.preferred_language, _external=True))
        # The same answer whether or not the account exists.
        return render_template("accounts/forgot_sent.html", email=form.email.data)
    return render_template("accounts/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@csrf_checked_by_form
def reset_password(token: str):
    service = account_service()
    try:
        service.check_reset_token(token)
    except TokenInvalid as error:
        return render_template("accounts/token_problem.html", message=_token_problem(error),
                               retry_endpoint="accounts.forgot_password"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = service.reset_password(token, form.password.data)
        sign_in_throttle().forget_account(user.email)
        sessions.end_all(db.session, user)  # whoever knew the old password is signed out
        _start_session(user, remember=False)
        flash(_("Your password has been changed."), "success")
        return redirect(url_for("web.home"))
    return render_template("accounts/reset.html", form=form)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def settings():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        current_user.preferred_language = form.preferred_language.data
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("accounts.settings", lang_code=current_user.preferred_language))
    return render_template("accounts/settings.html", form=form, resend_form=PortalForm(),
                           saved_searches=saved_searches_of(db.session, current_user.id))


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            account_service().change_password(current_user, form.current_password.data, form.password.data)
        except WrongPassword:
            form.current_password.errors.append(_("This is not your current password."))
        else:
            # auth_version changed: keep this browser signed in, end every other session.
            sessions.end_all(db.session, current_user._get_current_object())
            _start_session(current_user._get_current_object(), remember=False)
            flash(_("Your password has been changed. Other devices have been signed out."), "success")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/settings/email", methods=["GET", "POST"])
@login_required
@csrf_checked_by_form
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        service = account_service()
        try:
            token = service.email_change_token(current_user, form.current_password.data, form.email.data)
        except WrongPassword:
            form.current_password.errors.append(_("This is not your current password."))
        except EmailTaken:
            form.email.errors.append(_("Another account already uses this email address."))
        else:
            send_to_user(db.session, current_user, "change_email", _l("Confirm your new email address"),
                         address=form.email.data.strip().lower(), new_email=form.email.data.strip().lower(),
                         link=url_for("accounts.confirm_email_change", token=token,
                                      lang_code=current_user.preferred_language, _external=True))
            flash(_("We have sent a confirmation link to %(email)s. Your address changes when you open it.",
                    email=form.email.data.strip()), "success")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/change_email.html", form=form)


@bp.route("/settings/email/confirm/<token>", methods=["GET", "POST"])
@csrf_checked_by_form
def confirm_email_change(token: str):
    service = account_service()
    form = ConfirmForm()
    try:
        user, new_email = service.check_email_change_token(token)
        if form.validate_on_submit():
            service.apply_email_change(token)
            sessions.end_all(db.session, user)
            if current_user.is_authenticated and current_user.id == user.id:
                _start_session(user, remember=False)
            flash(_("Your email address is now %(email)s.", email=new_email), "success")
            return redirect(url_for("accounts.settings") if current_user.is_authenticated
                            else url_for("accounts.login"))
    except TokenInvalid as error:
        return render_template("accounts/token_problem.html", message=_token_problem(error),
                               retry_endpoint="accounts.change_email"), 400
    except EmailTaken:
        return render_template("accounts/token_problem.html",
                               message=_("Another account already uses this email address."),
                               retry_endpoint="accounts.change_email"), 400
    return render_template("accounts/confirm.html", form=form, title=_("Confirm your new email address"),
                           detail=_("Your address will change to %(email)s.", email=new_email))
