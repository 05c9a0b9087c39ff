from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.i18n.forms import PortalForm, options
from portal.i18n.languages import country_name
from portal.listings.forms import MultiCheckboxField, _page_language, language_options
from portal.listings.models import KIND_LABELS, ListingKind
from portal.partnerships.models import FIGURE_LABELS, FIGURES, STAGE_LABELS, Project, Stage
from portal.partnerships.services import ProjectDraft
from portal.taxonomy.models import Center, Topic

TITLE_MAX, DESCRIPTION_MAX = 200, 1500
FIGURE_MAX = 2_000_000_000  # fits an INTEGER column on both databases


def _figure(name: str) -> IntegerField:
    return IntegerField(FIGURE_LABELS[name], validators=[
        Optional(), NumberRange(min=0, max=FIGURE_MAX, message=_l("Enter a whole number, 0 or more."))])


class FigureFields:
    students_exchanged = _figure("students_exchanged")
    hectares_restored = _figure("hectares_restored")
    people_trained = _figure("people_trained")
    funding_secured = _figure("funding_secured")

    def figure_values(self) -> dict[str, int | None]:
        return {name: getattr(self, name).data for name in FIGURES}


def _stage_choices() -> list:
    return options((stage.value, label) for stage, label in STAGE_LABELS.items())


class ProjectTextForm(PortalForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=TITLE_MAX)])
    description = TextAreaField(_l("Short public description"), validators=[
        DataRequired(_l("Describe the project in a few sentences.")), Length(max=DESCRIPTION_MAX)],
        description=_l("What the partners do together, for whom, and what has come of it so far. "
                       "Public once the partners and the moderators agree; no contact details."))
    submit = SubmitField(_l("Save translation"))


class ProjectForm(FigureFields, PortalForm):
    center = SelectField(_l("Cooperation center"), validators=[DataRequired(_l("Choose a center."))])
    kind = RadioField(_l("Kind of cooperation"), choices=options((k.value, label) for k, label in KIND_LABELS.items()),
                      validators=[DataRequired(_l("Choose the kind of cooperation."))])
    stage = SelectField(_l("Stage"), validators=[DataRequired()])
    language = SelectField(_l("Language of this text"), validators=[DataRequired()])
    title = ProjectTextForm.title
    description = ProjectTextForm.description
    partners = SelectMultipleField(_l("Partner institutions"), coerce=int, validate_choice=False,
                                   description=_l("Every institution chosen here must confirm the project "
                                                  "before it is published."))
    topics = MultiCheckboxField(_l("Topics"), coerce=int)
    starts_on = DateField(_l("Start date"), validators=[DataRequired(_l("Enter a date."))])
    ends_on = DateField(_l("End date (optional)"), validators=[Optional()])
    show_origin = BooleanField(_l("Show the listing and the expression of interest this partnership grew from "
                                  "on its public page"))
    submit = SubmitField(_l("Send to the partners for confirmation"))

    def __init__(self, *args, centers: list[Center], topics: list[Topic],  # noqa: ANN002, ANN003
                 institutions: list[tuple[int, str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        language = _page_language()
        self._centers = {str(center.id): center for center in centers}
        self._topics = {topic.id: topic for topic in topics}
        self._institution_ids = {row[0] for row in institutions}
        self.center.choices = options([("", _l("Choose a center"))] + [
            (str(center.id), center.label(language)) for center in centers])
        self.stage.choices = _stage_choices()
        self.language.choices = language_options()
        self.topics.choices = options((topic.id, topic.label(language)) for topic in topics)
        self.partners.choices = options((id_, f"{name} ({country_name(country, language)})")
                                        for id_, name, country in institutions)
        if not self.language.data:
            self.language.data = language

    def validate_partners(self, field: SelectMultipleField) -> None:
        if any(value not in self._institution_ids for value in field.data or []):
            raise ValidationError(_l("Choose partners from the list."))

    def validate_ends_on(self, field: DateField) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date cannot be before the start date."))

    def draft(self) -> ProjectDraft:
        return ProjectDraft(
            center=self._centers[self.center.data], kind=ListingKind(self.kind.data), stage=Stage(self.stage.data),
            language=self.language.data, title=self.title.data.strip(), description=self.description.data.strip(),
            starts_on=self.starts_on.data, ends_on=self.ends_on.data, partner_ids=list(self.partners.data or []),
            topics=[self._topics[topic_id] for topic_id in self.topics.data or [] if topic_id in self._topics],
            show_origin=bool(self.show_origin.data), figures=self.figure_values())

    def fill_from(self, project: Project, own_institution_id: int | None, language: str) -> None:
        content = project.content_for(language)
        self.center.data = str(project.center_id)
        self.kind.data = project.kind.value
        self.stage.data = project.stage.value
        self.language.data = content.language
        self.title.data, self.description.data = content.title, content.description
        self.partners.data = [p.institution_id for p in project.partners if p.institution_id != own_institution_id]
        self.topics.data = [topic.id for topic in project.topics]
        self.starts_on.data, self.ends_on.data = project.starts_on, project.ends_on
        self.show_origin.data = project.show_origin
        for name in FIGURES:
            getattr(self, name).data = getattr(project, name)


class ProgressForm(FigureFields, PortalForm):
    """What partners report as a published project goes on."""

    stage = SelectField(_l("Stage"), validators=[DataRequired()])
    ends_on = DateField(_l("End date (optional)"), validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.stage.choices = _stage_choices()


class DeclineForm(PortalForm):
    message = TextAreaField(_l("Message (optional)"), validators=[Length(max=2000)])
    submit = SubmitField(_l("We are not a partner in this project"))
