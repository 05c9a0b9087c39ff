from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, Optional

from portal.i18n.forms import PortalForm, PortalSubform, options
from portal.extensions import db
from portal.i18n.languages import country_choices, country_name
from portal.i18n.routing import current_language
from portal.institutions.models import INSTITUTION_TYPE_LABELS, Institution, InstitutionType
from portal.institutions.services import InstitutionDetails


def _country_choices() -> list:
    return options([("", _l("Choose a country")), *country_choices(str(get_locale() or "en"))])


class InstitutionFields(PortalSubform):
    """The institution's public details, shared by registration and the edit page."""

    name = StringField(_l("Name of the institution"), validators=[
        DataRequired(_l("Enter the institution's name.")), Length(max=200)])
    type = SelectField(_l("Type"), choices=options((t.value, label) for t, label in INSTITUTION_TYPE_LABELS.items()),
                       validators=[DataRequired(_l("Choose a type."))])
    country = SelectField(_l("Country"), validators=[DataRequired(_l("Choose a country."))])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    website = StringField(_l("Website"), description=_l("Starting with https://"), validators=[
        Optional(), Length(max=300), URL(require_tld=True, message=_l("Enter a full web address, such as https://example.org."))])
    description = TextAreaField(_l("About the institution"), validators=[Optional(), Length(max=5000)])

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.country.choices = _country_choices()

    def details(self) -> InstitutionDetails:
        return InstitutionDetails(
            name=self.name.data.strip(), type=InstitutionType(self.type.data), country=self.country.data,
            city=(self.city.data or "").strip(), website=(self.website.data or "").strip(),
            description=(self.description.data or "").strip(),
        )


class InstitutionForm(PortalForm, InstitutionFields):
    submit = SubmitField(_l("Save"))


class JoinInstitutionForm(PortalForm):
    institution_id = SelectField(_l("Institution"), coerce=int,
                                 validators=[DataRequired(_l("Choose the institution you work for."))])
    submit = SubmitField(_l("Ask to join"))


class ActionForm(PortalForm):
    """A button that changes state: carries only the CSRF token."""


def institution_choices() -> list:
    """The institutions to choose from on the registration and join forms, with their country."""
    rows = db.session.execute(select(Institution.id, Institution.name, Institution.country)
                              .order_by(Institution.name)).all()
    return options([(0, _("Choose your institution"))] + [
        (row.id, f"{row.name} ({country_name(row.country, current_language())})") for row in rows])
