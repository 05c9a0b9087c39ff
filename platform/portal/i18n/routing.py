"""Language-prefixed URLs (``/kk/…``), negotiation for unprefixed ones, and the switcher's links."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, IntegerConverter, RequestRedirect
from werkzeug.wrappers import Response

from portal.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_COOKIE = "lang"
LANGUAGE_ARG = "lang_code"


class LanguageConverter(BaseConverter):
    regex = "|".join(LANGUAGES)


class DatabaseIdConverter(IntegerConverter):
    """``<int:…>`` that never matches numbers the database cannot hold (a 404, not an overflow).

    Ids are INTEGER columns: 32 bits on PostgreSQL (schemathesis found /api/v1/listings/81103778323
    answering 500 there when the bound was 2**63)."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002, ANN001, ANN002, ANN003
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def register_localized(app: Flask, blueprint: Blueprint, prefix: str = "") -> None:
    """Serve every route of ``blueprint`` under ``/<language>{prefix}``."""
    app.register_blueprint(blueprint, url_prefix=f"/<lang:{LANGUAGE_ARG}>{prefix}")


def current_language() -> str:
    return g.get("lang_code") or negotiate_language()


def negotiate_language() -> str:
    """Signed-in user's preference, then the cookie, then Accept-Language, then English."""
    if current_user and current_user.is_authenticated and current_user.preferred_language in LANGUAGES:
        return current_user.preferred_language
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def url_for_language(language: str) -> str:
    """The current page in another language, query string kept."""
    endpoint = request.endpoint
    view_args = dict(request.view_args or {})
    if endpoint is None or request.url_rule is None or LANGUAGE_ARG not in request.url_rule.arguments:
        return url_for("web.home", **{LANGUAGE_ARG: language})
    view_args[LANGUAGE_ARG] = language
    args = request.args.to_dict(flat=False)
    args.update(view_args)
    return url_for(endpoint, **args)


def init_app(app: Flask) -> None:
    app.url_map.converters["lang"] = LanguageConverter
    app.url_map.converters["int"] = DatabaseIdConverter

    @app.url_value_preprocessor
    def pull_language(_endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values and LANGUAGE_ARG in values:
            g.lang_code = values.pop(LANGUAGE_ARG)

    @app.url_defaults
    def add_language(endpoint: str, values: dict[str, Any]) -> None:
        if LANGUAGE_ARG in values or not app.url_map.is_endpoint_expecting(endpoint, LANGUAGE_ARG):
            return
        values[LANGUAGE_ARG] = current_language()

    @app.after_request
    def remember_language(response: Response) -> Response:
        lang = g.get("lang_code")
        on_page = request.url_rule is not None and LANGUAGE_ARG in request.url_rule.arguments
        if on_page and lang and request.cookies.get(LANGUAGE_COOKIE) != lang:
            response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax",
                                secure=app.config["SESSION_COOKIE_SECURE"], httponly=True)
        return response


def redirect_to_localized() -> Response | None:
    """``/account/login`` → ``/ru/account/login`` when that route exists; ``None`` otherwise."""
    first_segment = request.path.lstrip("/").split("/", 1)[0]
    if first_segment in LANGUAGES or request.method not in ("GET", "HEAD"):
        return None
    target = f"/{negotiate_language()}{request.path}"
    try:
        current_app.url_map.bind("").match(target, method="GET")
    except RequestRedirect as redirect_:
        target = redirect_.new_url
    except HTTPException:
        return None
    query = request.query_string.decode("latin-1")
    return redirect(target + (f"?{query}" if query else ""), code=302)
