"""Reasons and caveats of a suggestion, as sentences in the reader's language."""

from __future__ import annotations

from datetime import date

from babel.lists import format_list
from flask import g
from flask_babel import format_date, get_locale, gettext, ngettext
from sqlalchemy import select

from portal.extensions import db
from portal.i18n.languages import country_name, language_name
from portal.listings.models import TRL_LABELS
from portal.listings.models import ListingKind
from portal.subjects.services import current_thesaurus
from portal.taxonomy.models import Center, Topic


def _language() -> str:
    return str(get_locale() or "en")


def _countries(codes) -> str:  # noqa: ANN001
    return ", ".join(country_name(code, _language()) for code in codes)


def _languages(codes) -> str:  # noqa: ANN001
    return ", ".join(language_name(code, _language()) for code in codes)


def _kind(value: str) -> str:
    return ListingKind(value).label if value in ListingKind._value2member_map_ else value


def _topics(slugs) -> str:  # noqa: ANN001
    labels = {topic.slug: topic.label(_language())
              for topic in db.session.scalars(select(Topic).where(Topic.slug.in_(list(slugs))))}
    return ", ".join(labels.get(slug, slug) for slug in slugs)


def _subjects(keys) -> str:  # noqa: ANN001
    if "thesaurus" not in g:  # once per request, however many reasons the page words
        g.thesaurus = current_thesaurus(db.session)
    thesaurus = g.thesaurus
    return format_list([thesaurus.label(key, _language()) for key in keys], locale=_language())


def _center(slug: str) -> str:
    center = db.session.scalar(select(Center).where(Center.slug == slug))
    return center.label(_language()) if center else slug


def _trl(level) -> str:  # noqa: ANN001
    return str(TRL_LABELS.get(level, level)) if level is not None else "—"


def _day(value: str | None) -> str:
    return format_date(date.fromisoformat(value), "long") if value else "…"


def describe(item: dict) -> str | None:
    """One reason or caveat (``{"code", "params"}``) as a sentence; None for an unknown code."""
    code, p = item.get("code"), item.get("params", {})
    if code == "shared_subjects":
        return gettext("Both about %(topics)s", topics=_subjects(p.get("subjects", ())))
    if code == "shared_topics":
        return gettext("Both about %(topics)s", topics=_topics(p.get("topics", ())))
    if code == "similar_text":
        return gettext("Similar descriptions")
    if code == "complementary":
        if p.get("direction") == "offer":
            return gettext("They offer what you seek: %(kind)s", kind=_kind(p.get("kind", "")))
        return gettext("They seek what you offer: %(kind)s", kind=_kind(p.get("kind", "")))
    if code == "also_seeks_partners":
        return gettext("They also seek partners: %(kind)s", kind=_kind(p.get("kind", "")))
    if code == "same_center":
        return gettext("Same center: %(center)s", center=_center(p.get("center", "")))
    if code == "related_center":
        return gettext("Related center: %(center)s", center=_center(p.get("center", "")))
    if code == "seeks_your_country":
        return gettext("They seek partners in %(country)s", country=_countries([p.get("country", "")]))
    if code == "you_seek_their_country":
        return gettext("You seek partners in %(country)s", country=_countries([p.get("country", "")]))
    if code == "cross_border":
        return gettext("Cross-border partnership: %(countries)s", countries=" – ".join(
            country_name(code_, _language()) for code_ in p.get("countries", ())))
    if code == "trl_fits":
        return gettext("Technology readiness %(offer)s meets the level sought (%(wanted)s)",
                       offer=_trl(p.get("offer_trl")), wanted=_trl(p.get("wanted")))
    if code == "common_language":
        return gettext("Common working languages: %(languages)s", languages=_languages(p.get("languages", ())))
    if code == "dates_overlap":
        return gettext("Dates overlap: %(start)s – %(end)s", start=_day(p.get("starts_on")), end=_day(p.get("ends_on")))
    if code == "seeks_other_countries":
        return gettext("They seek partners in other countries: %(countries)s",
                       countries=_countries(p.get("countries", ())))
    if code == "outside_your_countries":
        return gettext("Outside the countries you seek: %(country)s", country=_countries([p.get("country", "")]))
    if code == "trl_below":
        return gettext("Technology readiness %(offer)s is below the level sought (%(wanted)s)",
                       offer=_trl(p.get("offer_trl")), wanted=_trl(p.get("wanted")))
    if code == "no_common_language":
        return gettext("No common working language (they work in: %(languages)s)",
                       languages=_languages(p.get("languages", ())))
    if code == "dates_apart":
        return ngettext("Dates %(num)s day apart", "Dates %(num)s days apart", int(p.get("days", 0)))
    return None
