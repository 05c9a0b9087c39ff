"""outbox worker: queued messages with retries, and the worker's position in the change log

Requests only queue email; the worker sends it after commit, trying again with a growing wait.
The delivery status CHECK constraint is recreated with 'queued' (SQLite copies the table).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.database


OLD_STATUSES = ('kept', 'sent', 'failed')
NEW_STATUSES = ('queued', 'kept', 'sent', 'failed')

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('worker_positions',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=True),
    sa.Column('updated_at', portal.database.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_worker_positions'))
    )
    # The matching step's row, so two workers can take turns by locking it (never by inserting).
    op.execute(sa.text("INSERT INTO worker_positions (name) VALUES ('matching')"))

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_attempt_at', portal.database.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_messages_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.drop_constraint(op.f('ck_outbox_messages_delivery_status'), type_='check')
        batch_op.create_check_constraint('delivery_status', sa.column('status').in_(NEW_STATUSES))


def downgrade() -> None:
    # Never sent: they stay readable in the outbox, as messages were before the worker.
    op.execute(sa.text("UPDATE outbox_messages SET status = 'kept' WHERE status = 'queued'"))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_messages_delivery_status'), type_='check')
        batch_op.create_check_constraint('delivery_status', sa.column('status').in_(OLD_STATUSES))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_next_attempt_at'))
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')

    op.drop_table('worker_positions')
