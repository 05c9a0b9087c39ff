"""Languages, locale negotiation, CLDR formatting and translated forms."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, g
from flask_babel import get_locale

from portal.extensions import babel
from portal.i18n import routing
from portal.i18n.collation import collated
from portal.i18n.languages import (
    LANGUAGES,
    collated_countries,
    country_name,
    language_name,
    native_language_name,
)
from portal.paths import data_dir


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(data_dir("translations")))
    babel.init_app(app, locale_selector=routing.current_language)
    routing.init_app(app)

    @app.context_processor
    def language_helpers() -> dict:
        lang = str(get_locale() or "en")
        return {
            "LANGUAGES": LANGUAGES,
            "page_language": lang,
            "url_for_language": routing.url_for_language,
            "native_language_name": native_language_name,
            "language_name": lambda code: language_name(code, lang),
            "country_name": lambda code: country_name(code, lang) if code else "",
            "is_localized_page": g.get("lang_code") is not None,
            "collated_countries": lambda codes: collated_countries(codes, lang),
        }

    @app.template_filter("by_label")
    def by_label(items: Iterable) -> list:
        """Centers, topics or terms (anything with ``label(language)``) in the page language's collation."""
        lang = str(get_locale() or "en")
        return collated(items, lang, key=lambda item: item.label(lang))
