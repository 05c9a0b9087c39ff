"""The listing's fields, declared once.

Each field says what it holds (its type and limits), whether it is per-language text, which
kinds of listing keep it, and where it appears: the author's draft, a revision's snapshot,
import/export, and the API (every listing, or only the detail). The draft class and
``apply_draft`` (listings/services.py), the snapshots (listings/snapshot.py), the import and
export columns (listings/transfer.py), the API's serializer and its OpenAPI description
(api/) all read ``FIELDS``, so adding a field is one declaration here plus its migration,
form widget, template and translations.

Values come in three shapes: the model's attribute, the draft's value (what a form or import
produces: enums, dates, Center and Topic objects) and the JSON kept in a snapshot or written
to an export. A field's type converts between them.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.database import utcnow
from portal.i18n.languages import LANGUAGES, country_name, language_name
from portal.listings.models import (
    TRL_LABELS,
    DIRECTION_LABELS,
    FUNDING_LABELS,
    IP_STATUS_LABELS,
    KIND_LABELS,
    PARTNER_ROLE_LABELS,
    Direction,
    FundingStatus,
    IPStatus,
    Listing,
    ListingKind,
    PartnerRole,
)
from portal.taxonomy.models import Center, Topic


class Place(enum.StrEnum):
    DRAFT = "draft"            # what an author fills in; apply_draft writes it to the listing
    SNAPSHOT = "snapshot"      # a revision's JSON, compared and applied by moderators
    EXPORT = "export"          # import/export rows (JSON keys, CSV columns)
    API = "api"                # every listing the API returns, search results included
    API_DETAIL = "api_detail"  # only GET /listings/{id}


AUTHORED = frozenset({Place.DRAFT, Place.SNAPSHOT, Place.EXPORT})

def end_of_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=utcnow().tzinfo)


# Types: how one kind of value moves between the model, the draft, JSON and the API.

@dataclasses.dataclass(frozen=True, eq=False)
class FieldType:
    """The defaults suit one plain value (or, with ``many``, a list) kept as it is everywhere."""

    many = False  # a list of values (";"-separated in a CSV cell); not a dataclass field

    def empty(self) -> Any:
        return [] if self.many else None

    def from_model(self, value: Any) -> Any:
        return list(value or []) if self.many else value

    def to_model(self, value: Any) -> Any:
        return list(value or []) if self.many else value

    def dump(self, value: Any) -> Any:
        """The draft's value as JSON (a snapshot's, an export's)."""
        return list(value or []) if self.many else value

    def load(self, session: Session, raw: Any) -> Any:
        """A snapshot's JSON as the draft's value; a key the snapshot lacks (it was taken
        before the field existed) is empty."""
        return self.empty() if raw is None else (list(raw) if self.many else raw)

    def export(self, value: Any, listing: Listing) -> Any:
        return self.dump(value)

    def api(self, value: Any, language: str) -> Any:
        """The model's value as the API shows it (dates stay dates: the serializer formats)."""
        return self.from_model(value)

    def from_form(self, data: Any) -> Any:
        return list(data or []) if self.many else data

    def to_form(self, value: Any) -> Any:
        return list(value) if self.many else value


@dataclasses.dataclass(frozen=True, eq=False)
class Text(FieldType):
    """Per-language text, kept on ListingTranslation."""

    max_length: int = 0

    def empty(self) -> str:
        return ""


@dataclasses.dataclass(frozen=True, eq=False)
class Integer(FieldType):
    minimum: int | None = None
    maximum: int | None = None
    labels: Mapping[int, Any] | None = None  # a label for each value (TRL's)


@dataclasses.dataclass(frozen=True, eq=False)
class Date(FieldType):
    def dump(self, value: date | None) -> str | None:
        return value.isoformat() if value else None

    def load(self, session: Session, raw: Any) -> date | None:
        return date.fromisoformat(raw) if raw else None


@dataclasses.dataclass(frozen=True, eq=False)
class EndOfDay(Date):
    """A date the model keeps as the last second of that day (expires_on → expires_at); the
    API shows that moment."""

    def from_model(self, value: datetime | None) -> date | None:
        return value.date() if value else None

    def to_model(self, value: date) -> datetime:
        return end_of_day(value)

    def api(self, value: datetime, language: str) -> datetime:
        return value


@dataclasses.dataclass(frozen=True, eq=False)
class Choice(FieldType):
    """One value of an enum; the API shows it with its label."""

    enum: type[enum.Enum] = enum.Enum
    labels: Mapping[Any, Any] = dataclasses.field(default_factory=dict)

    def dump(self, value: enum.Enum | None) -> str | None:
        return value.value if value is not None else None

    def load(self, session: Session, raw: Any) -> enum.Enum | None:
        return self.enum(raw) if raw else None

    def api(self, value: enum.Enum | None, language: str) -> dict | None:
        return None if value is None else {"value": value.value, "label": str(self.labels[value])}

    def from_form(self, data: str | None) -> enum.Enum | None:
        return self.enum(data) if data else None

    def to_form(self, value: enum.Enum | None) -> str:
        return value.value if value is not None else ""


@dataclasses.dataclass(frozen=True, eq=False)
class Choices(FieldType):
    """Several values of an enum, kept as their strings; the API shows each with its label."""

    many = True
    enum: type[enum.Enum] = enum.Enum
    labels: Mapping[Any, Any] = dataclasses.field(default_factory=dict)

    def api(self, value: list[str], language: str) -> list[dict]:
        known = self.enum._value2member_map_
        return [{"value": item, "label": str(self.labels[known[item]])} for item in value or [] if item in known]


@dataclasses.dataclass(frozen=True, eq=False)
class Strings(FieldType):
    many = True
    max_items: int | None = None
    max_length: int | None = None  # of each item


@dataclasses.dataclass(frozen=True, eq=False)
class Keywords(Strings):
    """The export writes a keyword whose language is known as ``"en:drip irrigation"``, which
    the import reads back (docs/import-export.md)."""

    def export(self, value: list[str], listing: Listing) -> list[str]:
        languages = listing.keyword_languages or {}
        return [f"{languages[keyword]}:{keyword}" if keyword in languages else keyword for keyword in value]


@dataclasses.dataclass(frozen=True, eq=False)
class Codes(FieldType):
    """Country or language codes; the API shows each with its name in the reader's language."""

    many = True
    namer: Callable[[str, str], str] = country_name

    def api(self, value: list[str], language: str) -> list[dict]:
        return [{"code": code, "name": self.namer(code, language)} for code in value or []]


@dataclasses.dataclass(frozen=True, eq=False)
class Language(FieldType):
    """A portal language code."""

    values: tuple[str, ...] = tuple(LANGUAGES)


@dataclasses.dataclass(frozen=True, eq=False)
class CenterRef(FieldType):
    """A cooperation center: the draft holds the Center, JSON its id (snapshot) or slug (export)."""

    def dump(self, value: Center | None) -> int | None:
        return value.id if value is not None else None

    def load(self, session: Session, raw: Any) -> Center | None:
        return session.get(Center, raw) if raw is not None else None

    def export(self, value: Center, listing: Listing) -> str:
        return value.slug

    def api(self, value: Center, language: str) -> dict:
        return {"slug": value.slug, "label": value.label(language)}


@dataclasses.dataclass(frozen=True, eq=False)
class TopicRefs(FieldType):
    """Topics: the draft holds Topic objects, JSON their ids (snapshot) or slugs (export)."""

    many = True

    def dump(self, value: list[Topic]) -> list[int]:
        return sorted(topic.id for topic in value or [])

    def load(self, session: Session, raw: Any) -> list[Topic]:
        return list(session.scalars(select(Topic).where(Topic.id.in_(raw)))) if raw else []

    def export(self, value: list[Topic], listing: Listing) -> list[str]:
        return [topic.slug for topic in value]

    def api(self, value: list[Topic], language: str) -> list[dict]:
        return [{"slug": topic.slug, "label": topic.label(language)} for topic in value]


# Fields.

@dataclasses.dataclass(frozen=True, eq=False)
class Field:
    name: str  # the draft's, the form's and the export's name
    type: FieldType
    places: frozenset[Place] = AUTHORED | {Place.API_DETAIL}
    required: bool = False
    per_language: bool = False  # one value per language version, on ListingTranslation
    kinds: frozenset[ListingKind] | None = None  # only these kinds keep it (None: every kind)
    attribute: str = ""  # the model's name, when not ``name``
    snapshot_name: str = ""  # the snapshot's key, when not ``name`` (stored revisions use it)
    api_name: str = ""  # the API's key, when not ``name``
    vocabulary: str = ""  # its values and labels are listed under this key in /taxonomy
    description: str = ""  # for the OpenAPI document

    def __post_init__(self) -> None:
        for name in ("attribute", "snapshot_name", "api_name"):
            if not getattr(self, name):
                object.__setattr__(self, name, self.name)

    def applies_to(self, kind: ListingKind | None) -> bool:
        return self.kinds is None or kind in self.kinds

    @property
    def nullable(self) -> bool:
        """Whether the API may show null (lists and texts are empty instead)."""
        return not self.required and self.type.empty() is None

    def in_api(self, *, full: bool) -> bool:
        return Place.API in self.places or (full and Place.API_DETAIL in self.places)

    def read(self, listing: Listing) -> Any:
        return self.type.from_model(getattr(listing, self.attribute))

    def write(self, listing: Listing, value: Any) -> None:
        setattr(listing, self.attribute, self.type.to_model(value))


_TRANSFER = frozenset({ListingKind.TECHNOLOGY_TRANSFER})
_YOUTH = frozenset({ListingKind.YOUTH_EXCHANGE})
_RESEARCH = frozenset({ListingKind.JOINT_RESEARCH})
_EVERYWHERE = AUTHORED | {Place.API}

FIELDS: tuple[Field, ...] = (
    Field("center", CenterRef(), _EVERYWHERE, required=True, snapshot_name="center_id"),
    Field("language", Language(), _EVERYWHERE, required=True, attribute="original_language",
          snapshot_name="original_language", api_name="original_language",
          description="Language the listing was written in."),
    Field("title", Text(max_length=200), _EVERYWHERE, required=True, per_language=True),
    Field("summary", Text(max_length=600), _EVERYWHERE, required=True, per_language=True),
    Field("description", Text(max_length=20_000), per_language=True),
    Field("kind", Choice(enum=ListingKind, labels=KIND_LABELS), _EVERYWHERE, required=True, vocabulary="kinds"),
    Field("direction", Choice(enum=Direction, labels=DIRECTION_LABELS), _EVERYWHERE, required=True,
          vocabulary="directions"),
    Field("topics", TopicRefs(), _EVERYWHERE, snapshot_name="topic_ids"),
    Field("keywords", Keywords(max_items=15, max_length=60)),
    Field("target_countries", Codes(namer=country_name), description="Empty: partners from any country."),
    Field("working_languages", Codes(namer=language_name)),
    Field("trl", Integer(1, 9, labels=TRL_LABELS), _EVERYWHERE, kinds=_TRANSFER, vocabulary="trl",
          description="Technology readiness level (technology transfer)."),
    Field("ip_status", Choice(enum=IPStatus, labels=IP_STATUS_LABELS), kinds=_TRANSFER, vocabulary="ip_statuses"),
    Field("starts_on", Date(), kinds=_YOUTH),
    Field("ends_on", Date(), kinds=_YOUTH),
    Field("participants", Integer(1, 10_000), kinds=_YOUTH),
    Field("age_min", Integer(10, 99), kinds=_YOUTH),
    Field("age_max", Integer(10, 99), kinds=_YOUTH),
    Field("partner_roles", Choices(enum=PartnerRole, labels=PARTNER_ROLE_LABELS), kinds=_RESEARCH,
          vocabulary="partner_roles"),
    Field("funding", Choice(enum=FundingStatus, labels=FUNDING_LABELS), kinds=_RESEARCH, vocabulary="funding"),
    Field("expires_on", EndOfDay(), _EVERYWHERE, required=True, attribute="expires_at", api_name="expires_at",
          description="The listing is public until then."),
)


# What the rest of the portal asks. Each reads FIELDS when called (a test may add a field).

def fields_in(place: Place, *, per_language: bool | None = False) -> list[Field]:
    """The fields shown in ``place``, in declared order: the listing's own (default), the
    per-language texts (``per_language=True``) or both (``None``)."""
    return [field for field in FIELDS
            if place in field.places and (per_language is None or field.per_language == per_language)]


def text_fields() -> list[Field]:
    return [field for field in FIELDS if field.per_language]


def get_field(name: str) -> Field:
    return next(field for field in FIELDS if field.name == name)


def text_of(version: object) -> dict[str, str]:
    """A language version's texts (a ListingTranslation or a Content) as a dict."""
    return {field.name: getattr(version, field.name) for field in text_fields()}


def values_of(listing: Listing) -> dict[str, Any]:
    """The listing's draft values (its texts aside)."""
    return {field.name: field.read(listing) for field in fields_in(Place.DRAFT)}


def draft_values(draft: object) -> dict[str, Any]:
    return {field.name: getattr(draft, field.name) for field in fields_in(Place.DRAFT)}


def applicable(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with the fields of another kind emptied, so a changed kind leaves nothing stale."""
    kind = values.get("kind")
    return {field.name: values.get(field.name, field.type.empty()) if field.applies_to(kind) else field.type.empty()
            for field in fields_in(Place.DRAFT)}


def apply_values(listing: Listing, values: Mapping[str, Any]) -> None:
    kept = applicable(values)
    for field in fields_in(Place.DRAFT):
        field.write(listing, kept[field.name])


def to_snapshot(values: Mapping[str, Any]) -> dict[str, Any]:
    return {field.snapshot_name: field.type.dump(values.get(field.name, field.type.empty()))
            for field in fields_in(Place.SNAPSHOT)}


def from_snapshot(session: Session, snapshot: Mapping[str, Any]) -> dict[str, Any]:
    return {field.name: field.type.load(session, snapshot.get(field.snapshot_name))
            for field in fields_in(Place.SNAPSHOT)}


def export_values(listing: Listing) -> dict[str, Any]:
    """The listing's exported fields (its texts aside) in the import format."""
    return {field.name: field.type.export(field.read(listing), listing) for field in fields_in(Place.EXPORT)}


def api_fields(*, full: bool) -> Iterator[Field]:
    return (field for field in FIELDS if field.in_api(full=full))


def api_values(listing: Listing, language: str, *, full: bool) -> dict[str, Any]:
    """The declared fields the API shows: texts in ``language`` where the listing has it."""
    content = listing.content_for(language)
    return {field.api_name: getattr(content, field.name) if field.per_language
            else field.type.api(getattr(listing, field.attribute), language)
            for field in api_fields(full=full)}


# The draft's classes, made from the declaration (listings/services.py names them).

def content_class() -> type:
    spec = [(field.name, str) if field.required else (field.name, str, dataclasses.field(default=""))
            for field in text_fields()]
    cls = dataclasses.make_dataclass("Content", spec, frozen=True)  # (title, summary, description) in order
    cls.__module__, cls.__doc__ = "portal.listings.schema", "The texts of one language version."
    return cls


def draft_class(content: type) -> type:
    spec: list[tuple] = [("content", content)]
    for field in fields_in(Place.DRAFT):
        spec.append((field.name, Any) if field.required
                    else (field.name, Any, dataclasses.field(default_factory=field.type.empty)))
    cls = dataclasses.make_dataclass("ListingDraft", spec, kw_only=True)
    cls.__module__ = "portal.listings.schema"
    cls.__doc__ = ("Everything an author fills in, independent of how it was entered (form, import, API): "
                   "one attribute per draft field of portal/listings/schema.py, the texts as ``content``.")
    return cls


#: The texts of one language version, and everything an author fills in: made from the declaration.
Content = content_class()
ListingDraft = draft_class(Content)
