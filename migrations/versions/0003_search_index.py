"""search index: search_documents plus the backend's own full-text index over it

SQLite: an FTS5 table reading its content from search_documents (external content), kept in
step by triggers. PostgreSQL: tsvector columns generated from the token columns, with GIN
indexes. Both index the same space-separated tokens (see portal.language.analyzer), never
re-split by the database's own parser.

Existing listings are not indexed here (that needs the application's analyzer and models):
run the search index rebuild after upgrading.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.database


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

FIELDS = ('title', 'body', 'taxonomy')

# unicode61 keeps letters and digits (ʻ is a letter) together; '~' marks stems, so it must be
# a token character too. Case is already folded and diacritics are letters here (ä, ş, ң).
SQLITE_FTS = """
CREATE VIRTUAL TABLE search_fts USING fts5(
    title_tokens, body_tokens, taxonomy_tokens,
    content='search_documents', content_rowid='listing_id',
    tokenize="unicode61 remove_diacritics 0 tokenchars '~'"
)"""
_COLUMNS = 'title_tokens, body_tokens, taxonomy_tokens'
_NEW = 'new.title_tokens, new.body_tokens, new.taxonomy_tokens'
_OLD = 'old.title_tokens, old.body_tokens, old.taxonomy_tokens'
_INSERT_NEW = f'INSERT INTO search_fts(rowid, {_COLUMNS}) VALUES (new.listing_id, {_NEW});'
_DELETE_OLD = (f"INSERT INTO search_fts(search_fts, rowid, {_COLUMNS}) "
               f"VALUES ('delete', old.listing_id, {_OLD});")
SQLITE_TRIGGERS = {
    'search_documents_after_insert': f'AFTER INSERT ON search_documents BEGIN {_INSERT_NEW} END',
    'search_documents_after_delete': f'AFTER DELETE ON search_documents BEGIN {_DELETE_OLD} END',
    'search_documents_after_update':
        f'AFTER UPDATE ON search_documents BEGIN {_DELETE_OLD} {_INSERT_NEW} END',
}


def upgrade() -> None:
    op.create_table('search_documents',
    sa.Column('listing_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('title_tokens', sa.Text(), nullable=False),
    sa.Column('body_tokens', sa.Text(), nullable=False),
    sa.Column('taxonomy_tokens', sa.Text(), nullable=False),
    sa.Column('updated_at', portal.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_search_documents_listing_id_listings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('listing_id', name=op.f('pk_search_documents'))
    )
    dialect = op.get_context().dialect.name  # works offline too
    if dialect == 'sqlite':
        op.execute(SQLITE_FTS)
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f'CREATE TRIGGER {name} {body}')
    elif dialect == 'postgresql':
        for field in FIELDS:
            # array_to_tsvector takes the tokens as they are: no parser, no stemming, no
            # stop words; array_remove guards against an empty string from a double space.
            op.execute(
                f'ALTER TABLE search_documents ADD COLUMN {field}_tsv tsvector GENERATED ALWAYS AS '
                f"(array_to_tsvector(array_remove(string_to_array({field}_tokens, ' '), ''))) STORED")
            op.create_index(f'ix_search_documents_{field}_tsv', 'search_documents',
                            [f'{field}_tsv'], postgresql_using='gin')
    else:
        raise NotImplementedError(f'no full-text index for {dialect}')


def downgrade() -> None:
    dialect = op.get_context().dialect.name  # works offline too
    if dialect == 'sqlite':
        for name in SQLITE_TRIGGERS:
            op.execute(f'DROP TRIGGER IF EXISTS {name}')
        op.execute('DROP TABLE IF EXISTS search_fts')  # its shadow tables go with it
    elif dialect == 'postgresql':
        for field in FIELDS:
            op.drop_index(f'ix_search_documents_{field}_tsv', table_name='search_documents')
    op.drop_table('search_documents')
