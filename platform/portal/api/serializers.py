"""Listings and taxonomy as JSON-ready dicts, labels in the requested language.

A listing's declared fields (listings/schema.py) give its values; the marshmallow schemas that
the OpenAPI document is made from (api/schemas.py) dump them, so a response has exactly the
described keys, dates in ISO 8601.
"""

from __future__ import annotations

from functools import lru_cache

from flask import url_for
from marshmallow import Schema

from portal.api import schemas
from portal.i18n.languages import country_name
from portal.listings import schema as declared
from portal.listings.models import TRL_LABELS, Listing
from portal.taxonomy.models import Center, Topic


def center_json(center: Center, language: str) -> dict:
    return {"slug": center.slug, "label": center.label(language), "description": center.description(language),
            "names": dict(center.names)}


def topic_json(topic: Topic, language: str) -> dict:
    return {"slug": topic.slug, "label": topic.label(language),
            "center": topic.center.slug if topic.center else None, "names": dict(topic.names)}


@lru_cache(maxsize=4)
def _dumper(fields: tuple, full: bool) -> Schema:
    """One schema instance per declaration (``fields`` keys the cache; a test may change it)."""
    return schemas.listing_schema(full=full)()


def listing_json(listing: Listing, language: str, *, full: bool, subjects: list | None = None,
                 found_through: tuple[str, ...] = (), found_through_machine: bool = False) -> dict:
    institution = listing.institution
    data = {
        "id": listing.id,
        "url": url_for("listings.detail", listing_id=listing.id, lang_code=language, _external=True),
        "language": listing.content_for(language).language,
        "available_languages": listing.languages,
        "institution": {"id": institution.id, "name": institution.name, "country": institution.country,
                        "country_name": country_name(institution.country, language),
                        "verified": institution.is_verified},
        "subjects": [{"key": subject.key, "label": subject.label} for subject in subjects or []],
        "found_through_subjects": list(found_through),
        "found_through_machine_translation": found_through_machine,
        "published_at": listing.published_at,
        "updated_at": listing.updated_at,
        **declared.api_values(listing, language, full=full),
    }
    if full:
        data["translations"] = {t.language: declared.text_of(t) for t in listing.translations}
        data["trl_label"] = str(TRL_LABELS[listing.trl]) if listing.trl else None
    return _dumper(declared.FIELDS, full).dump(data)


def vocabulary_json(language: str) -> dict:
    return {field.vocabulary: schemas.vocabulary_items(field) for field in schemas.vocabulary_fields()}
