"""reminders and outbox delivery

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 08:55:42.241182
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deadline_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_reminders_deadline_id_deadlines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_reminders_outbox_id_outbox')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('deadline_id', 'level', name=op.f('uq_reminders_deadline_id_level'))
    )
    with op.batch_alter_table('errands', schema=None) as batch_op:
        batch_op.add_column(sa.Column('officer_email', sa.String(length=200), nullable=True))

    with op.batch_alter_table('organs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_email', sa.String(length=200), nullable=True))

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=500), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('last_error')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('html')

    with op.batch_alter_table('organs', schema=None) as batch_op:
        batch_op.drop_column('reminder_email')

    with op.batch_alter_table('errands', schema=None) as batch_op:
        batch_op.drop_column('officer_email')

    op.drop_table('reminders')
