"""stored text analyses for matching

match_texts keeps, per listing, what the matching engine's text analysis made of its texts
(its tokens' keys and counts, topic mentions, the versions' languages), so that the worker builds
its index without analysing every listing's texts again. Empty after upgrading: ``flask
listings match`` fills it, and until then the worker analyses the listings it finds no row for.

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-03 22:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.database


revision = '0017'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'match_texts',
        sa.Column('listing_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.String(length=40), nullable=False),
        sa.Column('languages', sa.Text(), nullable=False),
        sa.Column('token_keys', sa.LargeBinary(), nullable=False),
        sa.Column('counts', sa.LargeBinary(), nullable=False),
        sa.Column('mentions', sa.Text(), nullable=False),
        sa.Column('updated_at', portal.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_match_texts_listing_id_listings'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('listing_id', name=op.f('pk_match_texts')),
    )


def downgrade() -> None:
    op.drop_table('match_texts')
