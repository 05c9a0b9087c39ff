from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from portal.i18n.forms import PortalForm, options
from portal.moderation.models import REJECTION_LABELS, REPORT_LABELS


def _reasons():  # noqa: ANN202
    return options([("", _l("Choose a reason"))] + [(r.value, label) for r, label in REJECTION_LABELS.items()])


class DecisionForm(PortalForm):
    revision_id = HiddenField()
    # No Optional(): it would stop the chain before the checks below that depend on the button.
    message = TextAreaField(_l("Message to the author"), validators=[Length(max=4000)],
                            description=_l("Required when you ask for changes; shown to the author in the listing."))
    reason = SelectField(_l("Reason for rejection"), default="")
    approve = SubmitField(_l("Approve"))
    request_changes = SubmitField(_l("Request changes"))
    reject = SubmitField(_l("Reject"))

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.reason.choices = _reasons()

    @property
    def decision(self) -> str | None:
        for name in ("approve", "request_changes", "reject"):
            if getattr(self, name).data:
                return name
        return None

    def validate_message(self, field: TextAreaField) -> None:
        if self.request_changes.data and not (field.data or "").strip():
            raise ValidationError(_l("Tell the author what to change."))

    def validate_reason(self, field: SelectField) -> None:
        if self.reject.data and not field.data:
            raise ValidationError(_l("Choose a reason for the rejection."))


class BulkDecisionForm(PortalForm):
    items = SelectMultipleField(_l("Selected items"), validate_choice=False)
    reason = SelectField(_l("Reason for rejection"), default="")
    approve = SubmitField(_l("Approve selected"))
    reject = SubmitField(_l("Reject selected"))

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.reason.choices = _reasons()

    def validate_items(self, field: SelectMultipleField) -> None:
        if not field.data:
            raise ValidationError(_l("Select at least one item."))

    def validate_reason(self, field: SelectField) -> None:
        if self.reject.data and not field.data:
            raise ValidationError(_l("Choose a reason for the rejection."))


class ReportForm(PortalForm):
    reason = SelectField(_l("What is wrong?"), validators=[DataRequired(_l("Choose a reason."))])
    text = TextAreaField(_l("Details"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Send the report"))

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.reason.choices = options([("", _l("Choose a reason"))] + [
            (r.value, label) for r, label in REPORT_LABELS.items()])


class MessageForm(PortalForm):
    """Suspend a listing, restore it, or ask an institution for details: a message is kept."""

    message = TextAreaField(_l("Message"), validators=[DataRequired(_l("Write a message.")), Length(max=4000)])
    submit = SubmitField(_l("Confirm"))


class ModeratorScopeForm(PortalForm):
    email = StringField(_l("Email address"), validators=[
        DataRequired(_l("Enter your email address.")), Email(_l("Enter a valid email address, such as name@example.org."),
                                                             check_deliverability=False)])
    centers = SelectMultipleField(_l("Centers"), validators=[DataRequired(_l("Choose at least one center."))])
    grant = SubmitField(_l("Grant"))
    revoke = SubmitField(_l("Revoke"))
