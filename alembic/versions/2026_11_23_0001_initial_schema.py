"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 07:57:40.632617
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('classification_codes',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('dormant', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_classification_codes'))
    )
    op.create_table('diary_sequences',
    sa.Column('prefix', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', 'year', name=op.f('pk_diary_sequences'))
    )
    op.create_table('organs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('office', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('chair', sa.String(length=200), nullable=True),
    sa.Column('head_of_office', sa.String(length=200), nullable=True),
    sa.Column('secretary', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organs')),
    sa.UniqueConstraint('code', name=op.f('uq_organs_code'))
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=False),
    sa.Column('to_address', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('attachment_ids', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_outbox_idempotency_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_status', ['status'], unique=False)

    op.create_table('errands',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organ_id', sa.Integer(), nullable=False),
    sa.Column('errand_type', sa.String(length=40), nullable=False),
    sa.Column('prefix', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('classification_code', sa.String(length=40), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('officer', sa.String(length=200), nullable=True),
    sa.Column('assigned_on', sa.Date(), nullable=True),
    sa.Column('fsg_required', sa.Boolean(), nullable=False),
    sa.Column('synnerliga_skal', sa.Text(), nullable=True),
    sa.Column('counterpart', sa.String(length=300), nullable=True),
    sa.Column('external_ref', sa.String(length=100), nullable=True),
    sa.Column('external_ref_key', sa.String(length=100), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('reply_due', sa.Date(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['classification_code'], ['classification_codes.code'], name=op.f('fk_errands_classification_code_classification_codes')),
    sa.ForeignKeyConstraint(['organ_id'], ['organs.id'], name=op.f('fk_errands_organ_id_organs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_errands')),
    sa.UniqueConstraint('organ_id', 'errand_type', 'external_ref_key', name=op.f('uq_errands_organ_id_errand_type_external_ref_key')),
    sa.UniqueConstraint('prefix', 'year', 'seq', name=op.f('uq_errands_prefix_year_seq'))
    )
    with op.batch_alter_table('errands', schema=None) as batch_op:
        batch_op.create_index('ix_errands_status', ['status'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organ_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('justering_due', sa.Date(), nullable=False),
    sa.Column('justerad_on', sa.Date(), nullable=True),
    sa.Column('chair', sa.String(length=200), nullable=True),
    sa.Column('justerare', sa.JSON(), nullable=False),
    sa.Column('secretary', sa.String(length=200), nullable=True),
    sa.Column('anslag_posted_on', sa.Date(), nullable=True),
    sa.Column('anslag_removed_on', sa.Date(), nullable=True),
    sa.Column('appeal_ends_on', sa.Date(), nullable=True),
    sa.Column('minutes_kept_at', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['organ_id'], ['organs.id'], name=op.f('fk_meetings_organ_id_organs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
    sa.UniqueConstraint('organ_id', 'held_on', name=op.f('uq_meetings_organ_id_held_on'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('errand_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['errand_id'], ['errands.id'], name=op.f('fk_audit_events_errand_id_errands'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_audit_events_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_errand_id'), ['errand_id'], unique=False)

    op.create_table('deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('errand_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('met_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['errand_id'], ['errands.id'], name=op.f('fk_deadlines_errand_id_errands'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadlines')),
    sa.UniqueConstraint('errand_id', 'kind', name=op.f('uq_deadlines_errand_id_kind'))
    )
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadlines_status_due_on', ['status', 'due_on'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('errand_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('organ_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('paragraph', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['errand_id'], ['errands.id'], name=op.f('fk_decisions_errand_id_errands'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_decisions_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['organ_id'], ['organs.id'], name=op.f('fk_decisions_organ_id_organs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('organ_id', 'year', 'paragraph', name=op.f('uq_decisions_organ_id_year_paragraph'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_errand_id'), ['errand_id'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('errand_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('counterpart', sa.String(length=300), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('secrecy_provision', sa.String(length=100), nullable=True),
    sa.Column('secrecy_date', sa.Date(), nullable=True),
    sa.Column('secrecy_authority', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('file_name', sa.String(length=300), nullable=True),
    sa.Column('storage_path', sa.String(length=500), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['errand_id'], ['errands.id'], name=op.f('fk_documents_errand_id_errands'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('errand_id', 'kind', 'sha256', name=op.f('uq_documents_errand_id_kind_sha256')),
    sa.UniqueConstraint('errand_id', 'number', name=op.f('uq_documents_errand_id_number'))
    )
    op.create_table('errand_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('errand_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['errand_id'], ['errands.id'], name=op.f('fk_errand_steps_errand_id_errands'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_errand_steps')),
    sa.UniqueConstraint('errand_id', 'step', name=op.f('uq_errand_steps_errand_id_step'))
    )
    op.create_table('fsg_consultations',
    sa.Column('errand_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['errand_id'], ['errands.id'], name=op.f('fk_fsg_consultations_errand_id_errands'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('errand_id', name=op.f('pk_fsg_consultations'))
    )
    op.create_table('recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('errand_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['errand_id'], ['errands.id'], name=op.f('fk_recipients_errand_id_errands'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipients')),
    sa.UniqueConstraint('errand_id', 'position', name=op.f('uq_recipients_errand_id_position'))
    )
    op.create_table('reports',
    sa.Column('errand_id', sa.Integer(), nullable=False),
    sa.Column('stance', sa.String(length=20), nullable=True),
    sa.Column('proposed_decision', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('drafted_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['errand_id'], ['errands.id'], name=op.f('fk_reports_errand_id_errands'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('errand_id', name=op.f('pk_reports'))
    )
    op.create_table('distributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('errand_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('expedierad_on', sa.Date(), nullable=False),
    sa.Column('document_ids', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['errand_id'], ['errands.id'], name=op.f('fk_distributions_errand_id_errands'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_distributions_outbox_id_outbox')),
    sa.ForeignKeyConstraint(['recipient_id'], ['recipients.id'], name=op.f('fk_distributions_recipient_id_recipients'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_distributions')),
    sa.UniqueConstraint('errand_id', 'recipient_id', name=op.f('uq_distributions_errand_id_recipient_id'))
    )


def downgrade() -> None:
    op.drop_table('distributions')
    op.drop_table('reports')
    op.drop_table('recipients')
    op.drop_table('fsg_consultations')
    op.drop_table('errand_steps')
    op.drop_table('documents')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_errand_id'))

    op.drop_table('decisions')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_status_due_on')

    op.drop_table('deadlines')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_errand_id'))

    op.drop_table('audit_events')
    op.drop_table('meetings')
    with op.batch_alter_table('errands', schema=None) as batch_op:
        batch_op.drop_index('ix_errands_status')

    op.drop_table('errands')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_status')

    op.drop_table('outbox')
    op.drop_table('organs')
    op.drop_table('diary_sequences')
    op.drop_table('classification_codes')
