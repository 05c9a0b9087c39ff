"""listing matches

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 19:15:17.430828
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.database


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('listing_matches',
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('caveats', sa.JSON(), nullable=False),
    sa.Column('computed_at', portal.database.UTCDateTime(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_listing_matches_listing_id_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['listings.id'], name=op.f('fk_listing_matches_partner_id_listings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('listing_id', 'partner_id', name=op.f('pk_listing_matches'))
    )
    with op.batch_alter_table('listing_matches', schema=None) as batch_op:
        batch_op.create_index('ix_listing_matches_listing_score', ['listing_id', 'score'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_matches_partner_id'), ['partner_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('listing_matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_matches_partner_id'))
        batch_op.drop_index('ix_listing_matches_listing_score')

    op.drop_table('listing_matches')

