"""The search documents: one row of index tokens per listing, and the names of the
backend-specific index objects built beside it by migrations 0003 and 0015.

The portable part is this table. The index proper differs by database and is left out of
the models: on SQLite an FTS5 table (``search_fts``, with its shadow tables) that triggers
keep in step with ``search_documents``; on PostgreSQL generated tsvector columns with GIN
indexes. ``include_name`` hides those from Alembic's autogenerate comparison.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import Base, utcnow

SEARCH_DOCUMENTS_TABLE = "search_documents"
FTS_TABLE = "search_fts"
#: Model field -> column of search_documents holding its tokens (space-separated).
TOKEN_COLUMNS: dict[str, str] = {
    "title": "title_tokens", "body": "body_tokens", "taxonomy": "taxonomy_tokens",
    "machine": "machine_tokens",
}
#: Model field -> PostgreSQL tsvector column generated from the token column.
TSVECTOR_COLUMNS: dict[str, str] = {
    "title": "title_tsv", "body": "body_tsv", "taxonomy": "taxonomy_tsv", "machine": "machine_tsv",
}


def gin_index_name(tsvector_column: str) -> str:
    return f"ix_{SEARCH_DOCUMENTS_TABLE}_{tsvector_column}"


class SearchDocument(Base):
    """Index tokens of one listing: every language version, its keywords and taxonomy labels."""

    __tablename__ = SEARCH_DOCUMENTS_TABLE

    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    title_tokens: Mapped[str] = mapped_column(Text, default="")  # titles of every version
    body_tokens: Mapped[str] = mapped_column(Text, default="")  # summaries, descriptions, keywords
    taxonomy_tokens: Mapped[str] = mapped_column(Text, default="")  # topic and center labels
    # The current machine translations' titles, summaries and descriptions (migration 0015):
    # found like the rest, ranked below anything people wrote (``search.ranking``).
    machine_tokens: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def include_name(name: str | None, type_: str, parent_names: dict[str, Any]) -> bool:
    """Alembic name filter: leave the backend-specific search index out of comparisons."""
    if type_ == "table":
        return not _is_fts_table(name or "")
    if parent_names.get("table_name") != SEARCH_DOCUMENTS_TABLE:
        return True
    if type_ == "column":
        return name not in TSVECTOR_COLUMNS.values()
    if type_ == "index":
        return name not in {gin_index_name(column) for column in TSVECTOR_COLUMNS.values()}
    return True


def _is_fts_table(name: str) -> bool:
    # FTS5 keeps its data in shadow tables named after it: search_fts_data, search_fts_idx…
    return name == FTS_TABLE or name.startswith(FTS_TABLE + "_")
