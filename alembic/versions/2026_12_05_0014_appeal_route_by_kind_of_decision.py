"""the appeal route by kind of decision: a decision's own route where it differs from its
errand type's, a delegation point's route, and the day the party was notified of a
delegated decision (förvaltningsbesvär runs from it)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 14:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('appeal_route', sa.String(length=20), nullable=True))
    with op.batch_alter_table('delegation_points', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('appeal_route', sa.String(length=20), nullable=False, server_default='laglighetsprovning')
        )
    with op.batch_alter_table('delegated_decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notified_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('delegated_decisions', schema=None) as batch_op:
        batch_op.drop_column('notified_on')
    with op.batch_alter_table('delegation_points', schema=None) as batch_op:
        batch_op.drop_column('appeal_route')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('appeal_route')
