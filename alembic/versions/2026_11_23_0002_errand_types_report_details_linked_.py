"""errand types: report details, linked errands

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 08:17:53.743345
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('errands', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_errands_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_errands_parent_id_errands'), 'errands', ['parent_id'], ['id'])

    with op.batch_alter_table('reports', schema=None) as batch_op:
        # Existing reports get an empty object.
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))



def downgrade() -> None:
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('details')

    with op.batch_alter_table('errands', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_errands_parent_id_errands'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_errands_parent_id'))
        batch_op.drop_column('parent_id')

