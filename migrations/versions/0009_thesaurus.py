"""thesaurus concepts and listing subjects

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 14:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.database


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('concepts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('uri', sa.String(length=500), nullable=False),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.Column('broader', sa.JSON(), nullable=False),
    sa.Column('related', sa.JSON(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('updated_at', portal.database.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concepts')),
    sa.UniqueConstraint('key', name=op.f('uq_concepts_key'))
    )
    op.create_table('listing_concepts',
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('concept_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('automatic', 'author', name='annotation_source', native_enum=False, length=32, create_constraint=True), nullable=False),
    sa.Column('rejected', sa.Boolean(), nullable=False),
    sa.Column('mentions', sa.Integer(), nullable=False),
    sa.Column('forms', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['concept_id'], ['concepts.id'], name=op.f('fk_listing_concepts_concept_id_concepts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_listing_concepts_listing_id_listings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('listing_id', 'concept_id', name=op.f('pk_listing_concepts'))
    )
    op.create_index(op.f('ix_listing_concepts_concept_id'), 'listing_concepts', ['concept_id'], unique=False)
    with op.batch_alter_table('listings') as batch:
        batch.add_column(sa.Column('keyword_languages', sa.JSON(), nullable=False, server_default='{}'))


def downgrade() -> None:
    with op.batch_alter_table('listings') as batch:
        batch.drop_column('keyword_languages')
    op.drop_index(op.f('ix_listing_concepts_concept_id'), table_name='listing_concepts')
    op.drop_table('listing_concepts')
    op.drop_table('concepts')
