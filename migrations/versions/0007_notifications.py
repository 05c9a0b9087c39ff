"""notifications and saved searches

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 19:44:20.662118
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.database


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notification_digests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.Enum('immediately', 'daily', 'weekly', 'off', name='notification_delivery', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('created_at', portal.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_digests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_digests')),
    sa.UniqueConstraint('user_id', 'frequency', 'period_start', name=op.f('uq_notification_digests_user_id_frequency_period_start'))
    )
    op.create_table('notification_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('interest_received', 'interest_answered', 'interest_message', 'new_matches', 'listing_status', 'saved_search', name='notification_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('frequency', sa.Enum('immediately', 'daily', 'weekly', 'off', name='notification_delivery', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preferences')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_preferences_user_id_kind'))
    )
    op.create_table('saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('query', sa.String(length=4000), nullable=False),
    sa.Column('alert', sa.Enum('daily', 'weekly', 'off', name='saved_search_alert', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', portal.database.UTCDateTime(), nullable=False),
    sa.Column('checked_at', portal.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_searches_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_searches'))
    )
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_searches_user_id'), ['user_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('interest_received', 'interest_answered', 'interest_message', 'new_matches', 'listing_status', 'saved_search', name='notification_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('delivery', sa.Enum('immediately', 'daily', 'weekly', 'off', name='notification_delivery', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=True),
    sa.Column('interest_id', sa.Integer(), nullable=True),
    sa.Column('saved_search_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', portal.database.UTCDateTime(), nullable=False),
    sa.Column('read_at', portal.database.UTCDateTime(), nullable=True),
    sa.Column('emailed_at', portal.database.UTCDateTime(), nullable=True),
    sa.Column('digest_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['digest_id'], ['notification_digests.id'], name=op.f('fk_notifications_digest_id_notification_digests'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['interest_id'], ['interests.id'], name=op.f('fk_notifications_interest_id_interests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_notifications_listing_id_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['saved_search_id'], ['saved_searches.id'], name=op.f('fk_notifications_saved_search_id_saved_searches'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_delivery_digest', ['delivery', 'digest_id'], unique=False)
        batch_op.create_index('ix_notifications_user_read', ['user_id', 'read_at'], unique=False)

    with op.batch_alter_table('listing_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interest_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_listing_reports_interest_id_interests'), 'interests', ['interest_id'], ['id'], ondelete='CASCADE')



def downgrade() -> None:
    with op.batch_alter_table('listing_reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_listing_reports_interest_id_interests'), type_='foreignkey')
        batch_op.drop_column('interest_id')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_read')
        batch_op.drop_index('ix_notifications_delivery_digest')

    op.drop_table('notifications')
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_searches_user_id'))

    op.drop_table('saved_searches')
    op.drop_table('notification_preferences')
    op.drop_table('notification_digests')
