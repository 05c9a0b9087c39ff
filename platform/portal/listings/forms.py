from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.database import utcnow
from portal.i18n.forms import PortalForm, options
from portal.i18n.collation import collated
from portal.i18n.languages import FOCUS_COUNTRIES, LANGUAGES, country_choices, language_name
from portal.listings import schema
from portal.listings.models import (
    FUNDING_LABELS,
    IP_STATUS_LABELS,
    KIND_LABELS,
    PARTNER_ROLE_LABELS,
    TRL_LABELS,
    Direction,
)
from portal.listings.schema import get_field
from portal.listings.services import Content, ListingDraft, default_expiry, latest_allowed_expiry
from portal.taxonomy.models import Center, Topic

# Limits come from the declared fields (listings/schema.py), which the API also describes.
TITLE_MAX, SUMMARY_MAX, DESCRIPTION_MAX = (
    get_field(name).type.max_length for name in ("title", "summary", "description"))
MAX_KEYWORDS, KEYWORD_MAX = get_field("keywords").type.max_items, get_field("keywords").type.max_length
_PARTICIPANTS, _AGE_MIN, _AGE_MAX = (get_field(name).type for name in ("participants", "age_min", "age_max"))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _page_language() -> str:
    return str(get_locale() or "en")


def language_options() -> list:
    return options((code, language_name(code, _page_language())) for code in LANGUAGES)


class ContentFields:
    """Title, summary and description of one language version."""

    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=TITLE_MAX)])
    summary = TextAreaField(_l("Summary"), description=_l("One or two sentences shown in search results."),
                            validators=[DataRequired(_l("Enter a short summary.")), Length(max=SUMMARY_MAX)])
    description = TextAreaField(
        _l("Description"), description=_l("Plain text. Leave an empty line between paragraphs; web addresses become links."),
        validators=[Optional(), Length(max=DESCRIPTION_MAX)])

    def content(self) -> Content:
        return Content(title=self.title.data.strip(), summary=self.summary.data.strip(),
                       description=(self.description.data or "").strip())


class TranslationForm(PortalForm, ContentFields):
    submit = SubmitField(_l("Save translation"))


class ListingForm(PortalForm, ContentFields):
    center = SelectField(_l("Cooperation center"), validators=[DataRequired(_l("Choose a center."))])
    kind = RadioField(_l("Kind of cooperation"), choices=options((k.value, label) for k, label in KIND_LABELS.items()),
                      validators=[DataRequired(_l("Choose the kind of cooperation."))])
    direction = RadioField(_l("You are posting"), choices=options([
        (Direction.OFFER.value, _l("An offer: we have something to share")),
        (Direction.REQUEST.value, _l("A request: we are looking for something")),
    ]), validators=[DataRequired(_l("Choose offer or request."))])
    language = SelectField(_l("Language of this text"), validators=[DataRequired()],
                           description=_l("You can add translations into other languages afterwards."))
    topics = MultiCheckboxField(_l("Topics"), coerce=int,
                                description=_l("Topics connect your listing with listings in other languages."))
    keywords = StringField(_l("Keywords"), description=_l("Separated by commas, at most 15."),
                           validators=[Optional(), Length(max=500)])
    # Checkboxes (no Ctrl-click), China and Central Asia first: listings/templates/listings/_countries.html.
    target_countries = MultiCheckboxField(_l("Partner countries sought"),
                                          description=_l("Leave empty if partners from any country are welcome."))
    working_languages = MultiCheckboxField(_l("Working languages"))
    trl = SelectField(_l("Technology readiness level"), coerce=lambda v: int(v) if v else None,
                      validators=[Optional()],
                      description=_l("For an offer, how mature the technology is; for a request, the maturity you need."))
    # strip_whitespace=False: a plain Optional() took " " for empty, cleared the choice check,
    # and IPStatus(" ") raised (a 500); now " " is "Not a valid choice".
    ip_status = SelectField(_l("Intellectual property"), validators=[Optional(strip_whitespace=False)])
    starts_on = DateField(_l("First day"), validators=[Optional()])
    ends_on = DateField(_l("Last day"), validators=[Optional()])
    participants = IntegerField(_l("Number of participants"), validators=[
        Optional(), NumberRange(_PARTICIPANTS.minimum, _PARTICIPANTS.maximum, _l("Enter a number between 1 and 10,000."))])
    age_min = IntegerField(_l("Youngest age"), validators=[
        Optional(), NumberRange(_AGE_MIN.minimum, _AGE_MIN.maximum, _l("Enter an age between 10 and 99."))])
    age_max = IntegerField(_l("Oldest age"), validators=[
        Optional(), NumberRange(_AGE_MAX.minimum, _AGE_MAX.maximum, _l("Enter an age between 10 and 99."))])
    partner_roles = MultiCheckboxField(_l("Partner roles sought"),
                                       choices=options((r.value, label) for r, label in PARTNER_ROLE_LABELS.items()))
    funding = SelectField(_l("Funding"), validators=[Optional(strip_whitespace=False)])
    expires_on = DateField(_l("Open until"), validators=[DataRequired(_l("Enter a date."))],
                           description=_l("At most two years from today."))
    save_draft = SubmitField(_l("Save as draft"))
    submit = SubmitField(_l("Submit for review"))

    def __init__(self, *args, centers: list[Center], topics: list[Topic], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        language = _page_language()
        self._centers = {str(center.id): center for center in centers}
        self._topics = {topic.id: topic for topic in topics}
        self.center.choices = options([("", _l("Choose a center"))] + [
            (str(center.id), center.label(language)) for center in centers])
        self.topics.choices = options(collated(((topic.id, topic.label(language)) for topic in topics),
                                               language, key=lambda pair: pair[1]))
        self.language.choices = language_options()
        self.working_languages.choices = language_options()
        self.target_countries.choices = options(country_choices(language))
        self.frequent_countries = FOCUS_COUNTRIES
        self.trl.choices = options([("", _l("Not specified"))] + [(str(k), v) for k, v in TRL_LABELS.items()])
        self.ip_status.choices = options([("", _l("Not specified"))] + [
            (s.value, label) for s, label in IP_STATUS_LABELS.items()])
        self.funding.choices = options([("", _l("Not specified"))] + [
            (s.value, label) for s, label in FUNDING_LABELS.items()])
        if not self.expires_on.data and not self.is_submitted():
            self.expires_on.data = default_expiry(utcnow().date())

    # cross-field rules
    def validate_expires_on(self, field: DateField) -> None:
        today = utcnow().date()
        if field.data and field.data <= today:
            raise ValidationError(_l("Choose a date in the future."))
        if field.data and field.data > latest_allowed_expiry(today):
            raise ValidationError(_l("A listing can stay open for at most two years."))

    def validate_ends_on(self, field: DateField) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot be before the first day."))

    def validate_age_max(self, field: IntegerField) -> None:
        if field.data is not None and self.age_min.data is not None and field.data < self.age_min.data:
            raise ValidationError(_l("The oldest age cannot be below the youngest age."))

    def validate_keywords(self, field: StringField) -> None:
        if len(self.keyword_list()) > MAX_KEYWORDS:
            raise ValidationError(_l("At most 15 keywords, please."))

    def keyword_list(self) -> list[str]:
        seen: dict[str, str] = {}
        for raw in (self.keywords.data or "").replace("，", ",").replace("、", ",").split(","):
            word = " ".join(raw.split())[:KEYWORD_MAX]
            if word and word.casefold() not in seen:
                seen[word.casefold()] = word
        return list(seen.values())

    # Each declared draft field is the form field of the same name; these need the form's lookups.
    _LOOKED_UP = ("center", "topics", "keywords")

    def draft(self) -> ListingDraft:
        values = {field.name: field.type.from_form(self[field.name].data)
                  for field in schema.fields_in(schema.Place.DRAFT) if field.name not in self._LOOKED_UP}
        return ListingDraft(content=self.content(), center=self._centers[self.center.data],
                            topics=[self._topics[i] for i in self.topics.data or []],
                            keywords=self.keyword_list(), **values)

    def fill_from(self, listing, language: str) -> None:  # noqa: ANN001
        """Pre-fill for editing: the listing's fields and the text of ``language``."""
        for field in schema.fields_in(schema.Place.DRAFT):
            if field.name not in self._LOOKED_UP:
                self[field.name].data = field.type.to_form(field.read(listing))
        text = listing.content_for(language)
        for name, value in schema.text_of(text).items():
            self[name].data = value
        self.language.data = text.language
        self.center.data = str(listing.center.id)
        self.topics.data = [topic.id for topic in listing.topics]
        self.keywords.data = ", ".join(listing.keywords)
