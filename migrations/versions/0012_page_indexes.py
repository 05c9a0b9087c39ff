"""indexes for cheap pages, and the shared cache's table

The newest public listings overall and per center, a topic's listings (related listings), and
``cached_values``: what one app process computed for all (the home page's counts) when there is
no Redis.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 17:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.database


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cached_values',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('expires_at', portal.database.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_cached_values'))
    )
    op.create_index('ix_listing_topics_topic_listing', 'listing_topics', ['topic_id', 'listing_id'], unique=False)
    op.create_index('ix_listings_status_published', 'listings', ['status', 'published_at', 'id'], unique=False)
    op.create_index('ix_listings_center_status_published', 'listings', ['center_id', 'status', 'published_at', 'id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_listings_center_status_published', table_name='listings')
    op.drop_index('ix_listings_status_published', table_name='listings')
    op.drop_index('ix_listing_topics_topic_listing', table_name='listing_topics')
    op.drop_table('cached_values')
