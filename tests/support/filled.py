"""A listing with every declared field set (portal/listings/schema.py), values made from each
field's type alone, so a field added to the declaration is filled here without an edit."""

from __future__ import annotations

from datetime import timedelta

from portal.database import utcnow
from portal.i18n.languages import country_name
from portal.listings import schema
from portal.listings.models import Listing, ListingKind
from portal.listings.schema import (
    CenterRef,
    Choice,
    Choices,
    Codes,
    Date,
    Field,
    Integer,
    Language,
    Place,
    Strings,
    TopicRefs,
)
from portal.taxonomy.models import Center, Topic


def sample(field: Field, center: Center, topic: Topic) -> object:
    """A non-empty value of a declared field."""
    kind = field.type
    if isinstance(kind, CenterRef):
        return center
    if isinstance(kind, TopicRefs):
        return [topic]
    if isinstance(kind, Date):
        return utcnow().date() + timedelta(days=60)
    if isinstance(kind, Integer):
        return kind.maximum if kind.maximum is not None else 1
    if isinstance(kind, Choice):
        return list(kind.enum)[-1]
    if isinstance(kind, Choices):
        return [next(iter(kind.enum)).value]
    if isinstance(kind, Codes):
        return ["KZ"] if kind.namer is country_name else ["ru"]
    if isinstance(kind, Strings):
        return ["drip irrigation"]
    if isinstance(kind, Language):
        return "en"
    raise AssertionError(f"give {field.name}'s type a sample value in tests/support/filled.py")


def filled_listing(make, kind: ListingKind, **options: object) -> Listing:  # noqa: ANN001
    """A published listing of ``kind`` (other kinds' fields cleared), with a Chinese translation."""
    center = make.center()
    topic = make.topic(f"drip-irrigation-{kind.value.replace('_', '-')}", center)
    listing = make.listing(center=center, translations={"zh": ("滴灌", "成熟的系统。", "详情。")}, **options)
    values = {field.name: sample(field, center, topic) for field in schema.fields_in(Place.DRAFT)}
    schema.apply_values(listing, {**values, "kind": kind})
    make.session.flush()
    return listing
