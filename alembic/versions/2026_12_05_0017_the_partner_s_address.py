"""the IOP partner's address: the agreement's parties with their addresses (seed 003)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 16:45:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_address', sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_column('partner_address')
