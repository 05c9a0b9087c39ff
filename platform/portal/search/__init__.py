"""Finding listings: multilingual full-text search with facets, the same on SQLite and PostgreSQL.

Text is analysed by ``portal.language``. Pure (no Flask, no SQLAlchemy): ``query`` (a query's
words and their alternatives), ``ranking`` (text scores), ``search_params`` (the parameters of
a search), ``relevance`` (score tiers, subjects included) and ``facet_index`` (filters, counts
and order over every listing's facts, in memory). With the database: ``index`` keeps the search
documents and asks the database's own index (FTS5 / GIN tsvector) for candidates;
``facet_cache`` keeps each process's facet index current through the change log; ``finder``
answers a search; ``vocabulary`` labels the facets; ``views`` are the search pages; ``events``
keeps a listing's search document in step with it.
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
