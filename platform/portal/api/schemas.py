"""The API's JSON as marshmallow schemas: they serialize the responses, and apispec writes them
into /api/v1/openapi.json (api/openapi.py), so what is sent and what is described are one thing.

A listing's own fields are not written here: ``listing_schema`` makes them from the declared
fields (listings/schema.py). Only what the API adds around them is (id, url, institution,
subjects…). Schemas with a ``component`` name become ``#/components/schemas/<name>``; the
others are written inline where they are used.
"""

from __future__ import annotations

import enum

from marshmallow import EXCLUDE, Schema, fields, validate

from portal.i18n.languages import LANGUAGES
from portal.listings import schema as declared
from portal.listings.schema import (
    CenterRef,
    Choice,
    Choices,
    Codes,
    Date,
    EndOfDay,
    Field,
    Integer,
    Language,
    Strings,
    Text,
    TopicRefs,
)

FACET_NAMES = ("centers", "kinds", "directions", "countries", "topics", "languages", "trl", "subjects")


class Closed(Schema):
    """An object with exactly these keys (additionalProperties: false), marshmallow's default."""


class Open(Schema):
    """An object that may gain keys later (additionalProperties left out)."""

    class Meta:
        unknown = EXCLUDE


def component_name(schema: type[Schema] | Schema) -> str | None:
    """apispec's resolver: a named schema is a component, any other is inlined."""
    return getattr(schema if isinstance(schema, type) else type(schema), "component", None)


def _required(field: fields.Field) -> fields.Field:
    field.required = True
    return field


def _described(description: str, **options: object) -> dict:
    return {"metadata": {"description": description}, **options} if description else options


class ChoiceSchema(Closed):
    component = "Choice"
    value = fields.String(required=True)
    label = fields.String(required=True)


class CodeNameSchema(Closed):
    component = "CodeName"
    code = fields.String(required=True)
    name = fields.String(required=True)


class SlugLabelSchema(Closed):
    slug = fields.String(required=True)
    label = fields.String(required=True)


class SubjectSchema(Closed):
    key = fields.String(required=True)
    label = fields.String(required=True)


class InstitutionSchema(Closed):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    country = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{2}$"))
    country_name = fields.String(required=True)
    verified = fields.Boolean(required=True)


# The listing, from the declared fields.

def api_field(field: Field) -> fields.Field:
    """The marshmallow field that shows a declared field in the API (the checks run in order:
    EndOfDay is a Date, Keywords a Strings)."""
    kind = field.type
    options = _described(field.description, required=True, allow_none=field.nullable)
    if isinstance(kind, EndOfDay):
        return fields.DateTime(**options)
    if isinstance(kind, Date):
        return fields.Date(**options)
    if isinstance(kind, Integer):
        bounds = (kind.minimum, kind.maximum)
        return fields.Integer(validate=validate.Range(*bounds) if bounds != (None, None) else None, **options)
    if isinstance(kind, Choice):
        return fields.Nested(ChoiceSchema, **options)
    if isinstance(kind, Choices):
        return fields.List(fields.Nested(ChoiceSchema), **options)
    if isinstance(kind, Codes):
        return fields.List(fields.Nested(CodeNameSchema), **options)
    if isinstance(kind, Strings):
        return fields.List(fields.String(), **options)
    if isinstance(kind, Language):
        return fields.String(validate=validate.OneOf(kind.values), **options)
    if isinstance(kind, CenterRef):
        return fields.Nested(SlugLabelSchema, **options)
    if isinstance(kind, TopicRefs):
        return fields.List(fields.Nested(SlugLabelSchema), **options)
    if isinstance(kind, Text):
        return fields.String(**options)
    raise TypeError(f"{field.name}: no API description for {type(kind).__name__}")


def text_schema() -> type[Schema]:
    """One language version's texts (a listing's ``translations``)."""
    cls = Closed.from_dict({field.name: fields.String(required=True) for field in declared.text_fields()},
                           name="TextSchema")
    cls.component = "Text"
    return cls


def _around_listing(full: bool) -> dict[str, fields.Field]:
    """What the API adds to a listing's declared fields."""
    added = {
        "id": fields.Integer(metadata={"description": "Stable identifier."}),
        "url": fields.String(metadata={"format": "uri"}),
        "language": fields.String(validate=validate.OneOf(LANGUAGES),
                                  metadata={"description": "Language of title and summary."}),
        "available_languages": fields.List(fields.String(validate=validate.OneOf(LANGUAGES))),
        "institution": fields.Nested(InstitutionSchema),
        "subjects": fields.List(fields.Nested(SubjectSchema), metadata={
            "description": "Thesaurus concepts the listing is about, labelled in `lang`."}),
        "found_through_subjects": fields.List(fields.String(), metadata={
            "description": "In search results: the listing's subjects through which the query found it "
                           "when none of the query's words is in its text."}),
        "found_through_machine_translation": fields.Boolean(metadata={
            "description": "In search results: true when the query found the listing only through its machine "
                           "translations (text no person wrote, which ranks below theirs)."}),
        "published_at": fields.DateTime(allow_none=True),
        "updated_at": fields.DateTime(),
    }
    if full:
        added.update({
            "translations": fields.Dict(keys=fields.String(), values=fields.Nested(text_schema()), metadata={
                "description": "Every language version, the original included, by language code."}),
            "trl_label": fields.String(allow_none=True),
        })
    return {name: _required(field) for name, field in added.items()}


def listing_schema(*, full: bool) -> type[Schema]:
    """``Listing`` (in search results) or ``ListingDetail`` (GET /listings/{id})."""
    name = "ListingDetail" if full else "Listing"
    declared_fields = {field.api_name: api_field(field) for field in declared.api_fields(full=full)}
    cls = Closed.from_dict({**_around_listing(full), **declared_fields}, name=f"{name}Schema")
    cls.component = name
    return cls


# The rest of the API.

class FacetValueSchema(Closed):
    component = "FacetValue"
    value = fields.String(required=True)
    label = fields.String(required=True)
    count = fields.Integer(required=True, validate=validate.Range(min=0))


class QuerySchema(Open):
    q = fields.String(required=True)
    terms = fields.List(fields.String(), required=True)
    subjects = fields.List(fields.String())
    sort = fields.String(required=True)
    lang = fields.String(required=True)


def page_schema(listing: type[Schema]) -> type[Schema]:
    cls = Closed.from_dict({
        "query": fields.Nested(QuerySchema, required=True),
        "total": fields.Integer(required=True, validate=validate.Range(min=0)),
        "page": fields.Integer(required=True, validate=validate.Range(min=1)),
        "per_page": fields.Integer(required=True),
        "pages": fields.Integer(required=True, validate=validate.Range(min=1)),
        "items": fields.List(fields.Nested(listing), required=True),
        "facets": fields.Nested(Closed.from_dict({
            name: fields.List(fields.Nested(FacetValueSchema), required=True) for name in FACET_NAMES}),
            required=True),
    }, name="ListingPageSchema")
    cls.component = "ListingPage"
    return cls


class CenterSchema(Closed):
    component = "Center"
    slug = fields.String(required=True)
    label = fields.String(required=True)
    description = fields.String(required=True)
    names = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class CenterListSchema(Open):
    component = "CenterList"
    items = fields.List(fields.Nested(CenterSchema), required=True)


class TopicSchema(Closed):
    component = "Topic"
    slug = fields.String(required=True)
    label = fields.String(required=True)
    center = fields.String(required=True, allow_none=True)
    names = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class _NumberLabelSchema(Open):
    value = fields.Integer(required=True)
    label = fields.String(required=True)


def vocabulary_fields() -> list[Field]:
    """Declared fields whose values /taxonomy lists with their labels."""
    return [field for field in declared.FIELDS if field.vocabulary]


def vocabulary_items(field: Field) -> list[dict]:
    return [{"value": value.value if isinstance(value, enum.Enum) else value, "label": str(label)}
            for value, label in (field.type.labels or {}).items()]


def taxonomy_schema() -> type[Schema]:
    items = {field.vocabulary: fields.List(fields.Nested(
        _NumberLabelSchema if isinstance(field.type, Integer) else ChoiceSchema), required=True)
        for field in vocabulary_fields()}
    cls = Open.from_dict({"topics": fields.List(fields.Nested(TopicSchema), required=True), **items},
                         name="TaxonomySchema")
    cls.component = "Taxonomy"
    return cls


class ErrorBodySchema(Open):
    status = fields.Integer(required=True)
    title = fields.String(required=True)
    message = fields.String(required=True)


class ErrorSchema(Open):
    component = "Error"
    error = fields.Nested(ErrorBodySchema, required=True)


# Public statistics (portal/statistics): every figure as records of codes and numbers.

class StatisticsRecordSchema(Closed):
    component = "StatisticsRecord"
    figure = fields.String(required=True, metadata={"description": "The figure's key."})
    period = fields.String(metadata={"description": "A month (YYYY-MM) or a range of days (7-30d)."})
    kind = fields.String(metadata={"description": "Kind of cooperation of the listings counted."})
    direction = fields.String(metadata={"description": "offer or request."})
    country = fields.String(metadata={"description": "ISO 3166-1 code: the institution's country (of the "
                                                     "institution that expressed interest, for country pairs)."})
    partner_country = fields.String(metadata={"description": "ISO 3166-1 code of the listing's institution."})
    subject = fields.String(metadata={"description": "Thesaurus concept key."})
    status = fields.String(metadata={"description": "Answer to an expression of interest."})
    measure = fields.String(required=True, metadata={"description": "What value counts or measures."})
    value = fields.Float(required=True, allow_none=True)


class StatisticsFigureSchema(Closed):
    component = "StatisticsFigure"
    key = fields.String(required=True)
    title = fields.String(required=True)
    records = fields.List(fields.Nested(StatisticsRecordSchema), required=True)


class StatisticsSchema(Closed):
    component = "Statistics"
    center = fields.String(required=True, allow_none=True, metadata={"description": "Center slug, or null: all."})
    generated_at = fields.String(required=True, metadata={"description": "When the figures were computed (UTC); "
                                                                          "they are recomputed every hour."})
    figures = fields.List(fields.Nested(StatisticsFigureSchema), required=True)


# Partnership projects (GET /projects, /projects/{id}): institutions only, never a person.

class ProjectPartnerSchema(Closed):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    country = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{2}$"))
    country_name = fields.String(required=True)
    verified = fields.Boolean(required=True)


class ProjectFiguresSchema(Closed):
    students_exchanged = fields.Integer(required=True, allow_none=True, validate=validate.Range(min=0))
    hectares_restored = fields.Integer(required=True, allow_none=True, validate=validate.Range(min=0))
    people_trained = fields.Integer(required=True, allow_none=True, validate=validate.Range(min=0))
    funding_secured = fields.Integer(required=True, allow_none=True, validate=validate.Range(min=0), metadata={
        "description": "US dollars."})


class ProjectSchema(Closed):
    component = "Project"
    id = fields.Integer(required=True)
    url = fields.String(required=True, metadata={"format": "uri"})
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES),
                             metadata={"description": "Language of title and description."})
    available_languages = fields.List(fields.String(validate=validate.OneOf(LANGUAGES)), required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    center = fields.Nested(SlugLabelSchema, required=True)
    kind = fields.Nested(ChoiceSchema, required=True)
    stage = fields.Nested(ChoiceSchema, required=True, metadata={
        "description": "talks, agreement_signed, running or completed."})
    origin = fields.Nested(ChoiceSchema, required=True, metadata={
        "description": "portal: grew from an expression of interest on the platform; elsewhere: recorded "
                       "without one."})
    partners = fields.List(fields.Nested(ProjectPartnerSchema), required=True)
    country_pairs = fields.List(fields.Nested(ChoiceSchema), required=True, metadata={
        "description": "Every pair of different partner countries, as CN-KZ (codes in alphabetical order)."})
    topics = fields.List(fields.Nested(SlugLabelSchema), required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True, allow_none=True)
    figures = fields.Nested(ProjectFiguresSchema, required=True)
    published_at = fields.DateTime(required=True)


PROJECT_FACET_NAMES = ("centers", "kinds", "stages", "pairs", "topics")


class ProjectQuerySchema(Open):
    q = fields.String(required=True)
    lang = fields.String(required=True)


class ProjectPageSchema(Closed):
    component = "ProjectPage"
    query = fields.Nested(ProjectQuerySchema, required=True)
    total = fields.Integer(required=True, validate=validate.Range(min=0))
    page = fields.Integer(required=True, validate=validate.Range(min=1))
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True, validate=validate.Range(min=1))
    items = fields.List(fields.Nested(ProjectSchema), required=True)
    facets = fields.Nested(Closed.from_dict({
        name: fields.List(fields.Nested(FacetValueSchema), required=True) for name in PROJECT_FACET_NAMES}),
        required=True)
