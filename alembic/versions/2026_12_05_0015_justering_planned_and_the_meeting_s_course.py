"""justering planned as a day and place; the meeting's course: when it ended, the
föredragningslista approved, adjournments

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 15:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('justering_planned_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('justering_place', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('ends_at', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('agenda_approved', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('adjournments', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('adjournments')
        batch_op.drop_column('agenda_approved')
        batch_op.drop_column('ends_at')
        batch_op.drop_column('justering_place')
        batch_op.drop_column('justering_planned_on')
