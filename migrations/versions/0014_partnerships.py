"""partnership projects: partners' confirmations, texts in several languages, topics, history

Revision ID: 0014
Revises: 0016
Create Date: 2026-12-03 19:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.database


revision = '0014'
# Written beside 0016 (statistics), which merged first.
down_revision = '0016'
branch_labels = None
depends_on = None

KINDS = ('joint_research', 'technology_transfer', 'youth_exchange')
STAGES = ('talks', 'agreement_signed', 'running', 'completed')
STATUSES = ('awaiting_partners', 'submitted', 'changes_requested', 'rejected', 'published', 'withdrawn')
ORIGINS = ('portal', 'elsewhere')
ACTIONS = ('proposed', 'edited', 'partner_invited', 'confirmed', 'declined', 'submitted', 'approved',
           'changes_requested', 'rejected', 'withdrawn', 'stage_changed', 'progress_updated')
REASONS = ('incomplete', 'out_of_scope', 'advertising', 'duplicate', 'inappropriate')


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32, create_constraint=True)


def upgrade() -> None:
    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('kind', _enum(KINDS, 'project_kind'), nullable=False),
    sa.Column('stage', _enum(STAGES, 'project_stage'), nullable=False),
    sa.Column('status', _enum(STATUSES, 'project_status'), nullable=False),
    sa.Column('origin', _enum(ORIGINS, 'project_origin'), nullable=False),
    sa.Column('interest_id', sa.Integer(), nullable=True),
    sa.Column('show_origin', sa.Boolean(), nullable=False),
    sa.Column('original_language', sa.String(length=8), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('students_exchanged', sa.Integer(), nullable=True),
    sa.Column('hectares_restored', sa.Integer(), nullable=True),
    sa.Column('people_trained', sa.Integer(), nullable=True),
    sa.Column('funding_secured', sa.Integer(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('moderation_message', sa.Text(), nullable=False),
    sa.Column('created_at', portal.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', portal.database.UTCDateTime(), nullable=False),
    sa.Column('submitted_at', portal.database.UTCDateTime(), nullable=True),
    sa.Column('published_at', portal.database.UTCDateTime(), nullable=True),
    sa.Column('external_key', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], name=op.f('fk_projects_center_id_centers')),
    sa.ForeignKeyConstraint(['interest_id'], ['interests.id'], name=op.f('fk_projects_interest_id_interests'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_projects_proposed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('external_key', name=op.f('uq_projects_external_key'))
    )
    op.create_index(op.f('ix_projects_center_id'), 'projects', ['center_id'], unique=False)
    op.create_index(op.f('ix_projects_interest_id'), 'projects', ['interest_id'], unique=False)
    op.create_index(op.f('ix_projects_status'), 'projects', ['status'], unique=False)
    op.create_index('ix_projects_status_published', 'projects', ['status', 'published_at', 'id'], unique=False)
    op.create_table('project_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_translations_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_translations')),
    sa.UniqueConstraint('project_id', 'language', name=op.f('uq_project_translations_project_id_language'))
    )
    op.create_index(op.f('ix_project_translations_project_id'), 'project_translations', ['project_id'], unique=False)
    op.create_table('project_partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('confirmed_at', portal.database.UTCDateTime(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('invited_at', portal.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_project_partners_confirmed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_project_partners_institution_id_institutions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_partners_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_partners')),
    sa.UniqueConstraint('project_id', 'institution_id', name=op.f('uq_project_partners_project_id_institution_id'))
    )
    op.create_index(op.f('ix_project_partners_institution_id'), 'project_partners', ['institution_id'], unique=False)
    op.create_index(op.f('ix_project_partners_project_id'), 'project_partners', ['project_id'], unique=False)
    op.create_table('project_topics',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_topics_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_project_topics_topic_id_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'topic_id', name=op.f('pk_project_topics'))
    )
    op.create_table('project_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('institution_id', sa.Integer(), nullable=True),
    sa.Column('action', _enum(ACTIONS, 'project_action'), nullable=False),
    sa.Column('from_value', sa.String(length=32), nullable=False),
    sa.Column('to_value', sa.String(length=32), nullable=False),
    sa.Column('reason', _enum(REASONS, 'project_rejection_reason'), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('at', portal.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_project_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_project_events_institution_id_institutions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_events_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_events'))
    )
    op.create_index('ix_project_events_project_at', 'project_events', ['project_id', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_project_events_project_at', table_name='project_events')
    op.drop_table('project_events')
    op.drop_table('project_topics')
    op.drop_index(op.f('ix_project_partners_project_id'), table_name='project_partners')
    op.drop_index(op.f('ix_project_partners_institution_id'), table_name='project_partners')
    op.drop_table('project_partners')
    op.drop_index(op.f('ix_project_translations_project_id'), table_name='project_translations')
    op.drop_table('project_translations')
    op.drop_index('ix_projects_status_published', table_name='projects')
    op.drop_index(op.f('ix_projects_status'), table_name='projects')
    op.drop_index(op.f('ix_projects_interest_id'), table_name='projects')
    op.drop_index(op.f('ix_projects_center_id'), table_name='projects')
    op.drop_table('projects')
