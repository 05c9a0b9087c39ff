"""Sections one feature adds to another feature's page, without the page importing it.

A page names its slot (``"listing"``); a feature higher in the house registers a provider for
it at import time. At render the page asks ``sections(slot, **facts)``: each provider returns
the context its own template needs, or None to stay out (not its reader, nothing to show).
Suggested partners, the interest form and the report box are sections of the listing page;
an institution's public listings are a section of its page.

The home page has the slot ``"home"``: its providers get ``language`` (the page's) and their
sections follow the centers and their newest listings, before "How it works" — the place for
the newest partnerships, for instance. Home is the busiest page: a provider there reads what
it shows from ``portal.cache.shared`` rather than adding statements to every view of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Provider = Callable[..., "dict[str, Any] | None"]
_providers: dict[str, list[tuple[int, str, Provider]]] = {}


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any]


def section(slot: str, template: str, *, order: int = 50) -> Callable[[Provider], Provider]:
    """Register the decorated provider: called with the page's facts, it returns the context
    for ``template`` (included with its values as ``section``), or None."""
    def register(provider: Provider) -> Provider:
        entries = _providers.setdefault(slot, [])
        if all(existing is not provider for _order, _template, existing in entries):
            entries.append((order, template, provider))
            entries.sort(key=lambda entry: entry[0])
        return provider
    return register


def sections(slot: str, **facts: Any) -> list[Section]:
    shown = []
    for _order, template, provider in _providers.get(slot, []):
        context = provider(**facts)
        if context is not None:
            shown.append(Section(template, context))
    return shown
