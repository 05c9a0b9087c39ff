"""machine text in search: a token column of its own for the listings' machine translations

search_documents gets machine_tokens (the titles, summaries and descriptions of a listing's
current machine translations), indexed like the other token columns: on SQLite the FTS5 table
is made again with the new column (FTS5 tables cannot be altered) and refilled from
search_documents; on PostgreSQL a generated tsvector column with its GIN index. Ranking gives
the column less weight than any text people wrote (portal.search.ranking).

Machine translations stored before this revision are not indexed here (that needs the
application's analyzer): run ``flask reindex`` after upgrading.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 19:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0015'
# Written beside 0016 and 0014, which merged first.
down_revision = '0014'
branch_labels = None
depends_on = None

_BEFORE = ('title_tokens', 'body_tokens', 'taxonomy_tokens')
_AFTER = (*_BEFORE, 'machine_tokens')
_TRIGGERS = ('search_documents_after_insert', 'search_documents_after_delete', 'search_documents_after_update')


def _sqlite_index(columns: tuple[str, ...]) -> list[str]:
    """The FTS5 table over ``columns`` of search_documents, its triggers, and its refill
    (as migration 0003 builds it, with these columns)."""
    names = ', '.join(columns)
    new = ', '.join(f'new.{column}' for column in columns)
    old = ', '.join(f'old.{column}' for column in columns)
    insert_new = f'INSERT INTO search_fts(rowid, {names}) VALUES (new.listing_id, {new});'
    delete_old = f"INSERT INTO search_fts(search_fts, rowid, {names}) VALUES ('delete', old.listing_id, {old});"
    return [
        f"""CREATE VIRTUAL TABLE search_fts USING fts5(
    {names},
    content='search_documents', content_rowid='listing_id',
    tokenize="unicode61 remove_diacritics 0 tokenchars '~'"
)""",
        f'CREATE TRIGGER search_documents_after_insert AFTER INSERT ON search_documents BEGIN {insert_new} END',
        f'CREATE TRIGGER search_documents_after_delete AFTER DELETE ON search_documents BEGIN {delete_old} END',
        f'CREATE TRIGGER search_documents_after_update AFTER UPDATE ON search_documents '
        f'BEGIN {delete_old} {insert_new} END',
        "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",  # read every row of search_documents
    ]


def _drop_sqlite_index() -> None:
    for name in _TRIGGERS:
        op.execute(f'DROP TRIGGER IF EXISTS {name}')
    op.execute('DROP TABLE IF EXISTS search_fts')  # its shadow tables go with it


def upgrade() -> None:
    dialect = op.get_context().dialect.name  # works offline too
    # Existing documents have no machine text until the next reindex: '' for them. (SQLite keeps
    # that default: dropping it would mean copying the table under its full-text triggers.)
    op.add_column('search_documents', sa.Column('machine_tokens', sa.Text(), nullable=False, server_default=''))
    if dialect == 'sqlite':
        _drop_sqlite_index()
        for statement in _sqlite_index(_AFTER):
            op.execute(statement)
    elif dialect == 'postgresql':
        op.alter_column('search_documents', 'machine_tokens', server_default=None)  # the models' default rules
        op.execute(
            'ALTER TABLE search_documents ADD COLUMN machine_tsv tsvector GENERATED ALWAYS AS '
            "(array_to_tsvector(array_remove(string_to_array(machine_tokens, ' '), ''))) STORED")
        op.create_index('ix_search_documents_machine_tsv', 'search_documents', ['machine_tsv'],
                        postgresql_using='gin')
    else:
        raise NotImplementedError(f'no full-text index for {dialect}')


def downgrade() -> None:
    dialect = op.get_context().dialect.name  # works offline too
    if dialect == 'sqlite':
        _drop_sqlite_index()
        op.drop_column('search_documents', 'machine_tokens')
        for statement in _sqlite_index(_BEFORE):
            op.execute(statement)
    elif dialect == 'postgresql':
        op.drop_index('ix_search_documents_machine_tsv', table_name='search_documents')
        op.execute('ALTER TABLE search_documents DROP COLUMN machine_tsv')
        op.drop_column('search_documents', 'machine_tokens')
