"""iop agreements and their periods

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 08:27:42.516530
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('errand_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('partner_name', sa.String(length=300), nullable=False),
    sa.Column('partner_orgnr', sa.String(length=11), nullable=False),
    sa.Column('partner_contact', sa.String(length=300), nullable=False),
    sa.Column('our_contact', sa.String(length=300), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('renewal_years', sa.Integer(), nullable=False),
    sa.Column('notice_months', sa.Integer(), nullable=False),
    sa.Column('evaluation_months_before_notice', sa.Integer(), nullable=False),
    sa.Column('yearly_amount', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('notice_given_on', sa.Date(), nullable=True),
    sa.Column('notice_given_by', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['errand_id'], ['errands.id'], name=op.f('fk_agreements_errand_id_errands'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements')),
    sa.UniqueConstraint('errand_id', name=op.f('uq_agreements_errand_id')),
    sa.UniqueConstraint('number', name=op.f('uq_agreements_number'))
    )
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreements_status'), ['status'], unique=False)

    op.create_table('agreement_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('renewed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_periods_agreement_id_agreements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_periods')),
    sa.UniqueConstraint('agreement_id', 'starts_on', name=op.f('uq_agreement_periods_agreement_id_starts_on'))
    )


def downgrade() -> None:
    op.drop_table('agreement_periods')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreements_status'))

    op.drop_table('agreements')
