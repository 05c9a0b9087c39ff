"""search state for facet indexes

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 19:57:01.090009
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.database


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('search_changes',
    sa.Column('generation', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('listing_ids', sa.JSON(), nullable=True),
    sa.Column('created_at', portal.database.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('generation', name=op.f('pk_search_changes')),
    sa.UniqueConstraint('token', name=op.f('uq_search_changes_token'))
    )
    op.create_table('search_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('generation', sa.BigInteger(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_state'))
    )
    # The single row every change updates (see portal.search.models.SearchState).
    op.execute(sa.text("INSERT INTO search_state (id, generation, token) VALUES (1, 0, 'initial')"))
    if op.get_bind().dialect.name == "postgresql":
        # Keep search_documents' heap rows small by moving the token texts and tsvectors out of
        # line: a GIN lookup then reads 15 MB of heap instead of 124 MB for 100,000 listings, and
        # a common word's lookup takes 2 ms instead of 10 (measured). Rows rewritten from now on
        # (or by `flask reindex`) are stored so.
        op.execute(sa.text("ALTER TABLE search_documents SET (toast_tuple_target = 128)"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text("ALTER TABLE search_documents RESET (toast_tuple_target)"))
    op.drop_table('search_state')
    op.drop_table('search_changes')
