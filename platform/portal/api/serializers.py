"""Listings and taxonomy as JSON-ready dicts, labels in the requested language."""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for

from portal.i18n.languages import country_name, language_name
from portal.listings.models import TRL_LABELS
from portal.listings.models import (
    DIRECTION_LABELS,
    FUNDING_LABELS,
    IP_STATUS_LABELS,
    KIND_LABELS,
    PARTNER_ROLE_LABELS,
    Direction,
    Listing,
    ListingKind,
    PartnerRole,
)
from portal.taxonomy.models import Center, Topic


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _choice(value, labels) -> dict | None:  # noqa: ANN001
    return None if value is None else {"value": value.value, "label": str(labels[value])}


def center_json(center: Center, language: str) -> dict:
    return {"slug": center.slug, "label": center.label(language), "description": center.description(language),
            "names": dict(center.names)}


def topic_json(topic: Topic, language: str) -> dict:
    return {"slug": topic.slug, "label": topic.label(language),
            "center": topic.center.slug if topic.center else None, "names": dict(topic.names)}


def listing_json(listing: Listing, language: str, *, full: bool, subjects: list | None = None,
                 found_through: tuple[str, ...] = ()) -> dict:
    content = listing.content_for(language)
    data = {
        "id": listing.id,
        "url": url_for("listings.detail", listing_id=listing.id, lang_code=language, _external=True),
        "language": content.language,
        "title": content.title,
        "summary": content.summary,
        "original_language": listing.original_language,
        "available_languages": listing.languages,
        "center": {"slug": listing.center.slug, "label": listing.center.label(language)},
        "kind": _choice(listing.kind, KIND_LABELS),
        "direction": _choice(listing.direction, DIRECTION_LABELS),
        "institution": {
            "id": listing.institution.id, "name": listing.institution.name,
            "country": listing.institution.country,
            "country_name": country_name(listing.institution.country, language),
            "verified": listing.institution.is_verified,
        },
        "topics": [{"slug": t.slug, "label": t.label(language)} for t in listing.topics],
        "subjects": [{"key": subject.key, "label": subject.label} for subject in subjects or []],
        "found_through_subjects": list(found_through),
        "trl": listing.trl,
        "published_at": _iso(listing.published_at),
        "updated_at": _iso(listing.updated_at),
        "expires_at": _iso(listing.expires_at),
    }
    if full:
        data.update({
            "description": content.description,
            "translations": {t.language: {"title": t.title, "summary": t.summary, "description": t.description}
                             for t in listing.translations},
            "keywords": list(listing.keywords),
            "target_countries": [{"code": c, "name": country_name(c, language)} for c in listing.target_countries],
            "working_languages": [{"code": c, "name": language_name(c, language)} for c in listing.working_languages],
            "trl_label": str(TRL_LABELS[listing.trl]) if listing.trl else None,
            "ip_status": _choice(listing.ip_status, IP_STATUS_LABELS),
            "starts_on": _iso(listing.starts_on), "ends_on": _iso(listing.ends_on),
            "participants": listing.participants, "age_min": listing.age_min, "age_max": listing.age_max,
            "partner_roles": [{"value": r, "label": str(PARTNER_ROLE_LABELS[PartnerRole(r)])}
                              for r in listing.partner_roles if r in PartnerRole._value2member_map_],
            "funding": _choice(listing.funding, FUNDING_LABELS),
        })
    return data


def vocabulary_json(language: str) -> dict:
    return {
        "kinds": [{"value": k.value, "label": str(KIND_LABELS[k])} for k in ListingKind],
        "directions": [{"value": d.value, "label": str(DIRECTION_LABELS[d])} for d in Direction],
        "trl": [{"value": level, "label": str(label)} for level, label in TRL_LABELS.items()],
        "ip_statuses": [{"value": s.value, "label": str(label)} for s, label in IP_STATUS_LABELS.items()],
        "funding": [{"value": s.value, "label": str(label)} for s, label in FUNDING_LABELS.items()],
        "partner_roles": [{"value": r.value, "label": str(label)} for r, label in PARTNER_ROLE_LABELS.items()],
    }
