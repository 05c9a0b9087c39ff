"""machine translations: a listing's original in another language, by an engine, apart from
the versions people wrote

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-10 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.database


revision = '0013'
# 0012 (search and page queries) is being written beside this one; whichever merges second
# puts the other's revision here.
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('machine_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('source_language', sa.String(length=8), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=600), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('engine', sa.String(length=120), nullable=False),
    sa.Column('requested_at', portal.database.UTCDateTime(), nullable=False),
    sa.Column('translated_at', portal.database.UTCDateTime(), nullable=True),
    sa.Column('due', sa.Boolean(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_machine_translations_listing_id_listings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_machine_translations')),
    sa.UniqueConstraint('listing_id', 'language', name=op.f('uq_machine_translations_listing_id_language'))
    )
    op.create_index(op.f('ix_machine_translations_listing_id'), 'machine_translations', ['listing_id'], unique=False)
    op.create_index(op.f('ix_machine_translations_due'), 'machine_translations', ['due'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_machine_translations_due'), table_name='machine_translations')
    op.drop_index(op.f('ix_machine_translations_listing_id'), table_name='machine_translations')
    op.drop_table('machine_translations')
