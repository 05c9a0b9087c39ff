"""interests

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 19:23:21.091235
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.database


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('institution_blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('blocked_id', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['blocked_id'], ['institutions.id'], name=op.f('fk_institution_blocks_blocked_id_institutions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_institution_blocks_institution_id_institutions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institution_blocks')),
    sa.UniqueConstraint('institution_id', 'blocked_id', name=op.f('uq_institution_blocks_institution_id_blocked_id'))
    )
    op.create_table('interests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', name='interest_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('decline_reason', sa.Enum('not_a_fit', 'already_partnered', 'outside_countries', 'not_now', 'other', name='decline_reason', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('decline_message', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Enum('talks_ongoing', 'agreement_signed', 'project_started', name='interest_outcome', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('created_at', portal.database.UTCDateTime(), nullable=False),
    sa.Column('decided_at', portal.database.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_interests_institution_id_institutions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_interests_listing_id_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_interests_sender_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interests'))
    )
    with op.batch_alter_table('interests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interests_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interests_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index('ix_interests_sender_created', ['sender_id', 'created_at'], unique=False)

    op.create_table('interest_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interest_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', portal.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_interest_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['interest_id'], ['interests.id'], name=op.f('fk_interest_messages_interest_id_interests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_messages'))
    )
    with op.batch_alter_table('interest_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interest_messages_interest_id'), ['interest_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('interest_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interest_messages_interest_id'))

    op.drop_table('interest_messages')
    with op.batch_alter_table('interests', schema=None) as batch_op:
        batch_op.drop_index('ix_interests_sender_created')
        batch_op.drop_index(batch_op.f('ix_interests_listing_id'))
        batch_op.drop_index(batch_op.f('ix_interests_institution_id'))

    op.drop_table('interests')
    op.drop_table('institution_blocks')

