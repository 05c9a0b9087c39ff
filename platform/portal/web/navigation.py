"""Small helpers for views: safe redirects after sign-in and loading rows or 404."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from werkzeug.wrappers import Response

from portal.extensions import db

T = TypeVar("T")


def is_safe_next(target: str | None) -> bool:
    """Only paths on this site: no scheme, no host, no protocol-relative ``//evil``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def redirect_next(default_endpoint: str, **values: object) -> Response:
    target = request.args.get("next") or request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for(default_endpoint, **values))


def get_or_404(model: type[T], ident: object, options: Sequence = ()) -> T:
    """``options``: loader options (``joinedload`` of what the page shows) for the same query."""
    row = db.session.get(model, ident, options=options)
    if row is None:
        abort(404)
    return row
