"""Multilingual full-text search over listings, the same on SQLite and PostgreSQL.

``analyzer``, ``query`` and ``ranking`` are pure (no Flask, no SQLAlchemy); ``index`` keeps the
search documents and asks the database's own index (FTS5 / GIN tsvector) for candidates;
``search.facet_index`` matches taxonomy labels, filters, counts and orders them.
The names below load ``index`` only when used, so importing a pure module stays pure.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_INDEX_API = frozenset({
    "document_tokens", "index_listing", "rebuild_index", "reindex_listing",
    "reindex_taxonomy", "remove_listing", "text_matches",
})


def __getattr__(name: str) -> Any:
    if name in _INDEX_API:
        return getattr(import_module("portal.search.index"), name)
    raise AttributeError(f"module 'portal.search' has no attribute {name!r}")
