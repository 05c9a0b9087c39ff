"""PostgreSQL: the search index's GIN indexes without pending lists

With GIN's default ``fastupdate``, new entries wait in a pending list that every search scans
whole until VACUUM merges it: at 100,000 listings after a bulk load, a one-word query on the
(empty) machine-text column took 9.8 ms scanning 348 pages of it, 0.015 ms after VACUUM. The
portal reads its index far more often than it writes it (a listing's document changes when the
listing does), so entries go straight into the index. SQLite: nothing to do.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 04:00:00
"""
from __future__ import annotations

from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

_INDEXES = ('ix_search_documents_title_tsv', 'ix_search_documents_body_tsv', 'ix_search_documents_taxonomy_tsv',
            'ix_search_documents_machine_tsv')


def upgrade() -> None:
    if op.get_context().dialect.name != 'postgresql':
        return
    for index in _INDEXES:
        # Merge what waits now (needs a live connection; offline SQL only changes the setting).
        if not op.get_context().as_sql:
            op.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")
        op.execute(f'ALTER INDEX {index} SET (fastupdate = off)')


def downgrade() -> None:
    if op.get_context().dialect.name != 'postgresql':
        return
    for index in _INDEXES:
        op.execute(f'ALTER INDEX {index} RESET (fastupdate)')
