from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.i18n.forms import PortalForm, options
from portal.interests.models import DECLINE_LABELS, OUTCOME_LABELS


class InterestForm(PortalForm):
    message = TextAreaField(_l("Your message"), validators=[
        DataRequired(_l("Write a few words about your institution and what you offer or seek.")),
        Length(min=20, max=4000)],
        description=_l("Who you are, what you offer or seek, and why this listing fits. Your contact details are "
                       "shared only if they accept."))
    submit = SubmitField(_l("Express interest"))


class DecisionForm(PortalForm):
    reason = SelectField(_l("Reason"), default="")
    message = TextAreaField(_l("Message (optional)"), validators=[Length(max=2000)])
    accept = SubmitField(_l("Accept and share contacts"))
    decline = SubmitField(_l("Decline"))

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.reason.choices = options([("", _l("Choose a reason"))] + [
            (reason.value, label) for reason, label in DECLINE_LABELS.items()])


class MessageForm(PortalForm):
    body = TextAreaField(_l("Message"), validators=[DataRequired(_l("Write a message.")), Length(max=4000)])
    submit = SubmitField(_l("Send"))


class OutcomeForm(PortalForm):
    outcome = SelectField(_l("How is it going?"), default="")
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.outcome.choices = options([("", _l("Not specified"))] + [
            (outcome.value, label) for outcome, label in OUTCOME_LABELS.items()])
