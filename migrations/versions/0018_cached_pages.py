"""shared page cache without Redis

cached_pages keeps public pages as anonymous visitors got them (compressed body and headers),
for every app process, with the generation they were rendered in; the row keyed 'generation'
holds the current generation, which every change to public content advances.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 03:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.database


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'cached_pages',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('generation', sa.BigInteger(), nullable=False),
        sa.Column('headers', sa.Text(), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.Column('expires_at', portal.database.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_cached_pages')),
    )


def downgrade() -> None:
    op.drop_table('cached_pages')
