"""What every template can use: the signed-in user's badges, centers for the header, text helpers."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlencode

from flask import Flask, g
from flask_babel import format_date, format_time, get_locale, gettext, ngettext
from markupsafe import Markup, escape

from portal.database import utcnow
from portal.i18n.routing import current_language
from portal.web.public_url import absolute_url

_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


def paragraphs(text: str) -> Markup:
    """Plain text to safe HTML: blank lines make paragraphs, web addresses become links."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    html = []
    for block in blocks:
        escaped = str(escape(block))
        linked = _URL.sub(lambda m: f'<a href="{m.group(0)}" rel="nofollow noopener ugc">{m.group(0)}</a>', escaped)
        html.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return Markup("\n".join(html))


def waiting_time(since: datetime) -> str:
    """How long something has waited, in whole hours or days; under an hour, "less than an
    hour" (never a rounded-up "1 hour" for a minute). Plural rules come from CLDR through
    Babel; the unit words are our catalogs', as CLDR lacks some of our languages' units."""
    hours = max(0, int((utcnow() - since).total_seconds() // 3600))
    if hours < 1:
        return gettext("less than an hour")
    if hours < 48:
        return ngettext("%(num)s hour", "%(num)s hours", hours)
    return ngettext("%(num)s day", "%(num)s days", hours // 24)


# One CLDR date format for every date the portal shows, in every language: mixing "medium"
# and "long" gave Tajik both "30 Ноя 2026" and "01 Июн 2027" on one page.
DATE_FORMAT = "long"


def portal_date(value: date | datetime | None) -> str:
    """A date in the page's language, always CLDR's ``long`` form."""
    return format_date(value, DATE_FORMAT) if value is not None else ""


def portal_datetime(value: datetime | None) -> str:
    """The same date as ``portal_date`` with a short time, joined by the locale's own pattern."""
    if value is None:
        return ""
    pattern = str(get_locale().datetime_formats["medium"])
    return pattern.replace("{1}", format_date(value, DATE_FORMAT)).replace("{0}", format_time(value, "short"))


def frame_unavailable() -> bool:
    """True on the 503 page: the frame (header, menus) may then not touch the database. Each
    feature adds its own values to the frame with ``@bp.app_context_processor``."""
    return bool(g.get("database_unavailable"))


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["paragraphs"] = paragraphs
    # Flask-Babel's own dateformat/datetimeformat take a format per call; these replace them so
    # that every template shows dates one way.
    app.jinja_env.filters["dateformat"] = portal_date
    app.jinja_env.filters["datetimeformat"] = portal_datetime
    app.jinja_env.globals["now_utc"] = utcnow
    app.jinja_env.globals["waiting_time"] = waiting_time
    app.jinja_env.globals["public_url"] = absolute_url
    app.jinja_env.filters["query_string"] = lambda args: urlencode(args, doseq=True)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def frame() -> dict:
        return {"lang": current_language()}
