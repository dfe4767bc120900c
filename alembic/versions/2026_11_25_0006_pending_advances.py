"""pending advances: a fact recorded, its errand not yet moved on

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 13:50:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pending_advances',
    sa.Column('errand_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('flow_run_id', sa.String(length=36), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['errand_id'], ['errands.id'], name=op.f('fk_pending_advances_errand_id_errands'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('errand_id', name=op.f('pk_pending_advances'))
    )


def downgrade() -> None:
    op.drop_table('pending_advances')
