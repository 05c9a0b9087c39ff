from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import (
    BooleanField,
    EmailField,
    FormField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length

from portal.i18n.forms import PortalForm, options
from portal.i18n.languages import LANGUAGES, native_language_name
from portal.institutions.forms import InstitutionFields

PASSWORD_MIN = 10


def _email_field(label=_l("Email address")) -> EmailField:  # noqa: ANN001
    return EmailField(label, validators=[
        DataRequired(_l("Enter your email address.")), Length(max=254),
        Email(_l("Enter a valid email address, such as name@example.org."), check_deliverability=False)])


def _new_password_field(label=_l("Password")) -> PasswordField:  # noqa: ANN001
    return PasswordField(label, description=lazy_ngettext("At least %(num)d character.", "At least %(num)d characters.", PASSWORD_MIN), validators=[
        DataRequired(_l("Choose a password.")), Length(min=PASSWORD_MIN, max=256)])


def _repeat_field(other: str) -> PasswordField:
    return PasswordField(_l("Repeat the password"), validators=[
        DataRequired(_l("Repeat the password.")), EqualTo(other, _l("The two passwords are not the same."))])


def _language_field() -> SelectField:
    return SelectField(_l("Preferred language"), choices=options((code, native_language_name(code)) for code in LANGUAGES),
                       description=_l("Emails and notifications come in this language."))


class RegisterForm(PortalForm):
    display_name = StringField(_l("Your name"), validators=[
        DataRequired(_l("Enter your name.")), Length(min=2, max=120)])
    email = _email_field()
    password = _new_password_field()
    password_repeat = _repeat_field("password")
    preferred_language = _language_field()
    institution_mode = RadioField(_l("Your institution"), default="join", choices=options([
        ("join", _l("My institution is already on the platform: ask to join it")),
        ("new", _l("Register my institution")),
    ]), validators=[DataRequired()])
    institution_id = SelectField(_l("Institution"), coerce=int, validate_choice=False)
    institution = FormField(InstitutionFields, label=_l("New institution"))
    submit = SubmitField(_l("Create account"))

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        # Only the chosen half of the institution question is validated.
        inactive = "institution" if self.institution_mode.data == "join" else "institution_id"
        field = self._fields.pop(inactive)
        try:
            valid = super().validate(extra_validators)
        finally:
            self._fields[inactive] = field
        if self.institution_mode.data == "join":
            known = {choice.value for choice in self.institution_id.choices or []}
            if self.institution_id.data not in known or not self.institution_id.data:
                self.institution_id.errors = [_l("Choose the institution you work for.")]
                valid = False
        return valid


class LoginForm(PortalForm):
    email = _email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=256)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class ForgotPasswordForm(PortalForm):
    email = _email_field()
    submit = SubmitField(_l("Send me a reset link"))


class ResetPasswordForm(PortalForm):
    password = _new_password_field(_l("New password"))
    password_repeat = _repeat_field("password")
    submit = SubmitField(_l("Set the new password"))


class ProfileForm(PortalForm):
    display_name = StringField(_l("Your name"), validators=[
        DataRequired(_l("Enter your name.")), Length(min=2, max=120)])
    preferred_language = _language_field()
    submit = SubmitField(_l("Save"))


class ChangePasswordForm(PortalForm):
    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password.")), Length(max=256)])
    password = _new_password_field(_l("New password"))
    password_repeat = _repeat_field("password")
    submit = SubmitField(_l("Change password"))


class ChangeEmailForm(PortalForm):
    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password.")), Length(max=256)])
    email = _email_field(_l("New email address"))
    submit = SubmitField(_l("Send a confirmation link"))


class ConfirmForm(PortalForm):
    submit = SubmitField(_l("Confirm"))
