"""the organ's secretary and a meeting's chair, secretary and justerare are persons

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 12:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secretary_person_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_organs_secretary_person_id_persons'), 'persons', ['secretary_person_id'], ['id']
        )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chair_person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('secretary_person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('justerare_person_ids', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.create_foreign_key(
            batch_op.f('fk_meetings_chair_person_id_persons'), 'persons', ['chair_person_id'], ['id']
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_meetings_secretary_person_id_persons'), 'persons', ['secretary_person_id'], ['id']
        )
    # A recorded chair's name is linked to the member of that name who sat in the organ,
    # where exactly one did; a secretary's to the account of that name, where exactly one
    # has it. The rest keep their name only (nothing is guessed).
    op.get_bind().execute(
        sa.text(
            "UPDATE meetings SET chair_person_id = (SELECT MIN(p.id) FROM persons p JOIN memberships m "
            "ON m.person_id = p.id WHERE m.organ_id = meetings.organ_id AND p.name = meetings.chair) "
            "WHERE chair IS NOT NULL AND (SELECT COUNT(DISTINCT p.id) FROM persons p JOIN memberships m "
            "ON m.person_id = p.id WHERE m.organ_id = meetings.organ_id AND p.name = meetings.chair) = 1"
        )
    )
    op.get_bind().execute(
        sa.text(
            "UPDATE meetings SET secretary_person_id = (SELECT MIN(u.person_id) FROM users u "
            "WHERE u.name = meetings.secretary) WHERE secretary IS NOT NULL "
            "AND (SELECT COUNT(*) FROM users u WHERE u.name = meetings.secretary) = 1"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_meetings_secretary_person_id_persons'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_meetings_chair_person_id_persons'), type_='foreignkey')
        batch_op.drop_column('justerare_person_ids')
        batch_op.drop_column('secretary_person_id')
        batch_op.drop_column('chair_person_id')
    with op.batch_alter_table('organs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organs_secretary_person_id_persons'), type_='foreignkey')
        batch_op.drop_column('secretary_person_id')
