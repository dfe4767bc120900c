"""people are accounts: an account belongs to a person, an errand's officer is an account,
a seat has its own address, two people may share a name

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 11:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Two people may share a name: a person is this row, never the name.
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_constraint('uq_persons_name', type_='unique')
        batch_op.create_index(batch_op.f('ix_persons_name'), ['name'], unique=False)

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=200), nullable=True))

    # Every account belongs to a person: one made for each existing account.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
    bind = op.get_bind()
    users = bind.execute(sa.text("SELECT id, name, email FROM users ORDER BY id")).all()
    for user_id, name, email in users:
        person_id = bind.execute(
            sa.text("INSERT INTO persons (name, email) VALUES (:name, :email) RETURNING id"),
            {"name": name, "email": email},
        ).scalar_one()
        bind.execute(sa.text("UPDATE users SET person_id = :p WHERE id = :u"), {"p": person_id, "u": user_id})
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('person_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_person_id'), ['person_id'])
        batch_op.create_foreign_key(batch_op.f('fk_users_person_id_persons'), 'persons', ['person_id'], ['id'])

    # An errand's officer is an account. The names recorded so far are matched to the
    # account of that name where exactly one has it; the rest stay unlinked and are
    # listed by `arende identity list` for a person to resolve (nothing is guessed).
    with op.batch_alter_table('errands', schema=None) as batch_op:
        batch_op.add_column(sa.Column('officer_user_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_errands_officer_user_id'), ['officer_user_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_errands_officer_user_id_users'), 'users', ['officer_user_id'], ['id']
        )
    bind.execute(
        sa.text(
            "UPDATE errands SET officer_user_id = (SELECT MIN(u.id) FROM users u WHERE u.name = errands.officer) "
            "WHERE officer IS NOT NULL "
            "AND (SELECT COUNT(*) FROM users u WHERE u.name = errands.officer) = 1"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table('errands', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_errands_officer_user_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_errands_officer_user_id'))
        batch_op.drop_column('officer_user_id')
    person_ids = [r[0] for r in op.get_bind().execute(sa.text("SELECT person_id FROM users")).all()]
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_person_id_persons'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_users_person_id'), type_='unique')
        batch_op.drop_column('person_id')
    for person_id in person_ids:  # the accounts' persons, unless they sit somewhere
        op.get_bind().execute(
            sa.text(
                "DELETE FROM persons WHERE id = :p AND NOT EXISTS "
                "(SELECT 1 FROM memberships m WHERE m.person_id = :p) AND NOT EXISTS "
                "(SELECT 1 FROM attendances a WHERE a.person_id = :p OR a.replaces_person_id = :p)"
            ),
            {"p": person_id},
        )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('email')
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_persons_name'))
        batch_op.create_unique_constraint('uq_persons_name', ['name'])
