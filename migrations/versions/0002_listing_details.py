"""listing details: keywords, target countries, working languages and kind-specific fields

The JSON lists get a server default only so that existing rows can be filled in.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 18:02:13.836011
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.database


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keywords', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('target_countries', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('working_languages', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('trl', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ip_status', sa.Enum('patent_granted', 'patent_pending', 'know_how', 'open', name='ip_status', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('starts_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ends_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('participants', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('age_min', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('age_max', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('partner_roles', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch_op.add_column(sa.Column('funding', sa.Enum('funded', 'partly_funded', 'seeking_funding', 'applying_together', name='funding_status', native_enum=False, create_constraint=True, length=32), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('listings', schema=None) as batch_op:
        # The enums' CHECK constraints go first, or SQLite's table copy still refers to the columns.
        batch_op.drop_constraint(op.f('ck_listings_funding_status'), type_='check')
        batch_op.drop_constraint(op.f('ck_listings_ip_status'), type_='check')
        batch_op.drop_column('funding')
        batch_op.drop_column('partner_roles')
        batch_op.drop_column('age_max')
        batch_op.drop_column('age_min')
        batch_op.drop_column('participants')
        batch_op.drop_column('ends_on')
        batch_op.drop_column('starts_on')
        batch_op.drop_column('ip_status')
        batch_op.drop_column('trl')
        batch_op.drop_column('working_languages')
        batch_op.drop_column('target_countries')
        batch_op.drop_column('keywords')

