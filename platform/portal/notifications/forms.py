from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SubmitField

from portal.i18n.forms import PortalForm, options
from portal.notifications.kinds import CHOOSABLE, Frequency, Kind

KIND_LABELS = {
    Kind.INTEREST_RECEIVED: _l("Another institution expresses interest in one of our listings"),
    Kind.INTEREST_ANSWERED: _l("Our expression of interest is accepted or declined"),
    Kind.INTEREST_MESSAGE: _l("A new message in one of our conversations"),
    Kind.NEW_MATCHES: _l("New strong matches for one of our listings"),
    Kind.LISTING_STATUS: _l("Moderators' decisions, and reminders before a listing closes"),
}

FREQUENCY_LABELS = {
    Frequency.IMMEDIATELY: _l("Email immediately"),
    Frequency.DAILY: _l("Daily digest"),
    Frequency.WEEKLY: _l("Weekly digest"),
    Frequency.OFF: _l("Off"),
}


class PreferencesForm(PortalForm):
    """One choice per kind; the fields are named after the kinds."""

    submit = SubmitField(_l("Save preferences"))

    @classmethod
    def build(cls, current: dict[Kind, Frequency], formdata=None) -> PreferencesForm:  # noqa: ANN001
        class Bound(cls):  # type: ignore[valid-type, misc]
            pass

        for kind in CHOOSABLE:
            setattr(Bound, kind.value, SelectField(
                KIND_LABELS[kind], default=current[kind].value,
                choices=options((frequency.value, label) for frequency, label in FREQUENCY_LABELS.items())))
        return Bound(formdata=formdata) if formdata is not None else Bound()

    def kind_fields(self) -> list:
        return [self[kind.value] for kind in CHOOSABLE]

    def choices(self) -> dict[Kind, Frequency]:
        return {kind: Frequency(self[kind.value].data) for kind in CHOOSABLE}
