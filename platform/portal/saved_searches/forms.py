from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import Length

from portal.i18n.forms import PortalForm, options
from portal.saved_searches.models import Alert

ALERT_LABELS = {
    Alert.DAILY: _l("Daily digest"),
    Alert.WEEKLY: _l("Weekly digest"),
    Alert.OFF: _l("No alerts"),
}


def _alert_field(label) -> SelectField:  # noqa: ANN001
    return SelectField(label, default=Alert.DAILY.value,
                       choices=options((alert.value, text) for alert, text in ALERT_LABELS.items()))


class SaveSearchForm(PortalForm):
    name = StringField(_l("Name"), validators=[Length(max=120)],
                       description=_l("How the search appears in your list and in alerts."))
    alert = _alert_field(_l("Email me new listings that match"))
    query = HiddenField()
    submit = SubmitField(_l("Save search"))


class AlertForm(PortalForm):
    alert = _alert_field(_l("Alerts"))
    submit = SubmitField(_l("Change"))
