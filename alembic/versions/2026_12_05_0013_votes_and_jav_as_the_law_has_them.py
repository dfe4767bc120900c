"""votes and jäv as the law has them: the voteringsproposition and a lottning on a
decision, the tjänstgöringsordning of ersättare, the ersättare who serves for a member
with jäv in a §

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 14:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vote_ja_for', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('vote_nej_for', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('vote_lot', sa.String(length=10), nullable=True))
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('substitute_order', sa.Integer(), nullable=True))
    with op.batch_alter_table('paragraph_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('substitute_person_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_paragraph_entries_substitute_person_id_persons'), 'persons', ['substitute_person_id'], ['id']
        )


def downgrade() -> None:
    with op.batch_alter_table('paragraph_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_paragraph_entries_substitute_person_id_persons'), type_='foreignkey')
        batch_op.drop_column('substitute_person_id')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('substitute_order')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('vote_lot')
        batch_op.drop_column('vote_nej_for')
        batch_op.drop_column('vote_ja_for')
