"""whether a listing's subject is prominent or named in passing

``listing_concepts.prominent``: the concept is named by the listing's title, summary or a
keyword, or was chosen by its author; false when only a description names it. Search widens a
query to the concept just above its own only among listings about that concept, not those
mentioning it in passing. Existing rows start as prominent (search behaves as before) until
``flask thesaurus annotate`` reads the listings again.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 02:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('listing_concepts') as batch:
        batch.add_column(sa.Column('prominent', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('listing_concepts') as batch:
        batch.drop_column('prominent')
