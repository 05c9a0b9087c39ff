"""moderation: audit trail, revisions, reports, expiry reminders, new listing states

The listing status CHECK constraint is recreated with the new states (SQLite copies the table).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 18:29:44.874131
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.database


OLD_STATUSES = ('draft', 'submitted', 'published', 'expired', 'withdrawn')
NEW_STATUSES = ('draft', 'submitted', 'changes_requested', 'rejected', 'published', 'suspended', 'expired',
                'withdrawn')

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('expiry_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('days_before', sa.Integer(), nullable=False),
    sa.Column('expires_at', portal.database.UTCDateTime(), nullable=False),
    sa.Column('sent_at', portal.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_expiry_reminders_listing_id_listings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expiry_reminders')),
    sa.UniqueConstraint('listing_id', 'days_before', 'expires_at', name=op.f('uq_expiry_reminders_listing_id_days_before_expires_at'))
    )
    op.create_table('listing_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.Enum('submitted', 'revision_submitted', 'approved', 'changes_requested', 'rejected', 'published', 'expired', 'renewed', 'withdrawn', 'suspended', 'restored', name='listing_action', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('from_status', sa.String(length=32), nullable=False),
    sa.Column('to_status', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Enum('incomplete', 'out_of_scope', 'advertising', 'duplicate', 'inappropriate', name='rejection_reason', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('at', portal.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_listing_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_listing_events_listing_id_listings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_events'))
    )
    with op.batch_alter_table('listing_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_events_at'), ['at'], unique=False)
        batch_op.create_index('ix_listing_events_listing_at', ['listing_id', 'at'], unique=False)

    op.create_table('listing_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Enum('spam', 'misleading', 'inappropriate', 'other', name='report_reason', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'dismissed', 'acted_on', name='report_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', portal.database.UTCDateTime(), nullable=False),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', portal.database.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['handled_by_id'], ['users.id'], name=op.f('fk_listing_reports_handled_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_listing_reports_listing_id_listings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_listing_reports_reporter_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_reports'))
    )
    with op.batch_alter_table('listing_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_reports_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_reports_status'), ['status'], unique=False)

    op.create_table('listing_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', 'changes_requested', 'withdrawn', name='revision_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('created_at', portal.database.UTCDateTime(), nullable=False),
    sa.Column('decided_at', portal.database.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_listing_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['listing_id'], ['listings.id'], name=op.f('fk_listing_revisions_listing_id_listings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_revisions'))
    )
    with op.batch_alter_table('listing_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_revisions_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_revisions_status'), ['status'], unique=False)

    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verification_message', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderation_message', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('submitted_at', portal.database.UTCDateTime(), nullable=True))
        batch_op.drop_constraint(op.f('ck_listings_listing_status'), type_='check')
        batch_op.create_check_constraint('listing_status', sa.column('status').in_(NEW_STATUSES))


def downgrade() -> None:
    op.execute(sa.text("UPDATE listings SET status = 'submitted' WHERE status IN ('changes_requested', 'rejected')"))
    op.execute(sa.text("UPDATE listings SET status = 'withdrawn' WHERE status = 'suspended'"))
    with op.batch_alter_table('listings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_listings_listing_status'), type_='check')
        batch_op.create_check_constraint('listing_status', sa.column('status').in_(OLD_STATUSES))
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('moderation_message')

    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_column('verification_message')

    with op.batch_alter_table('listing_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_revisions_status'))
        batch_op.drop_index(batch_op.f('ix_listing_revisions_listing_id'))

    op.drop_table('listing_revisions')
    with op.batch_alter_table('listing_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_reports_status'))
        batch_op.drop_index(batch_op.f('ix_listing_reports_listing_id'))

    op.drop_table('listing_reports')
    with op.batch_alter_table('listing_events', schema=None) as batch_op:
        batch_op.drop_index('ix_listing_events_listing_at')
        batch_op.drop_index(batch_op.f('ix_listing_events_at'))
        batch_op.drop_index(batch_op.f('ix_listing_events_action'))

    op.drop_table('listing_events')
    op.drop_table('expiry_reminders')
