"""public statistics and the institution directory's search

Indexes the statistics' aggregations read instead of the tables (listings by status, center,
kind, direction and dates; a listing's interests by date), and ``institutions.search_name``:
the name folded for the directory's search (portal/institutions/names.py), filled here for the
institutions that exist, with indexes for paging the directory by name.

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-03 19:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal.institutions.names import name_key


revision = '0016'
# Written beside other migrations after 0013; whichever merges later puts the other's revision here.
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_name', sa.String(length=800), nullable=False, server_default=''))
    institutions = sa.table('institutions', sa.column('id', sa.Integer), sa.column('name', sa.String),
                            sa.column('search_name', sa.String))
    connection = op.get_bind()
    for institution_id, name in connection.execute(sa.select(institutions.c.id, institutions.c.name)).all():
        connection.execute(sa.update(institutions).where(institutions.c.id == institution_id)
                           .values(search_name=name_key(name)))
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.alter_column('search_name', server_default=None)
    op.create_index('ix_institutions_name', 'institutions', ['name'], unique=False)
    op.create_index('ix_institutions_country_name', 'institutions', ['country', 'name'], unique=False)
    op.create_index('ix_listings_statistics', 'listings',
                    ['status', 'center_id', 'kind', 'direction', 'published_at', 'expires_at', 'institution_id'],
                    unique=False)
    op.create_index('ix_interests_listing_created', 'interests', ['listing_id', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_interests_listing_created', table_name='interests')
    op.drop_index('ix_listings_statistics', table_name='listings')
    op.drop_index('ix_institutions_country_name', table_name='institutions')
    op.drop_index('ix_institutions_name', table_name='institutions')
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_column('search_name')
