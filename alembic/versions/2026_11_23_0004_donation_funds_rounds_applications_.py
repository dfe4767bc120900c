"""donation funds rounds applications grants

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 08:42:54.741932
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('funds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('min_age', sa.Integer(), nullable=False),
    sa.Column('residents_only', sa.Boolean(), nullable=False),
    sa.Column('max_monthly_income', sa.Integer(), nullable=True),
    sa.Column('max_grant', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funds')),
    sa.UniqueConstraint('code', name=op.f('uq_funds_code'))
    )
    op.create_table('donation_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('errand_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('window_opens', sa.Date(), nullable=False),
    sa.Column('window_closes', sa.Date(), nullable=False),
    sa.Column('meeting_on', sa.Date(), nullable=False),
    sa.Column('payout_on', sa.Date(), nullable=False),
    sa.Column('per_household', sa.Integer(), nullable=False),
    sa.Column('imported_files', sa.JSON(), nullable=False),
    sa.Column('payout_sha256', sa.String(length=64), nullable=True),
    sa.Column('payout_path', sa.String(length=500), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['errand_id'], ['errands.id'], name=op.f('fk_donation_rounds_errand_id_errands'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_donation_rounds')),
    sa.UniqueConstraint('errand_id', name=op.f('uq_donation_rounds_errand_id'))
    )
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('personal', sa.Text(), nullable=True),
    sa.Column('pnr_hash', sa.String(length=64), nullable=True),
    sa.Column('household_hash', sa.String(length=64), nullable=True),
    sa.Column('household_size', sa.Integer(), nullable=False),
    sa.Column('resident', sa.Boolean(), nullable=False),
    sa.Column('age', sa.Integer(), nullable=False),
    sa.Column('monthly_income_per_person', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('amount_applied', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['donation_rounds.id'], name=op.f('fk_applications_round_id_donation_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_household_hash'), ['household_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_round_id'), ['round_id'], unique=False)
        batch_op.create_index('ix_applications_round_id_pnr_hash', ['round_id', 'pnr_hash'], unique=False)

    op.create_table('round_funds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('available', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], name=op.f('fk_round_funds_fund_id_funds')),
    sa.ForeignKeyConstraint(['round_id'], ['donation_rounds.id'], name=op.f('fk_round_funds_round_id_donation_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_funds')),
    sa.UniqueConstraint('round_id', 'fund_id', name=op.f('uq_round_funds_round_id_fund_id'))
    )
    op.create_table('grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=300), nullable=False),
    sa.Column('adjusted', sa.Boolean(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_grants_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], name=op.f('fk_grants_fund_id_funds')),
    sa.ForeignKeyConstraint(['round_id'], ['donation_rounds.id'], name=op.f('fk_grants_round_id_donation_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants')),
    sa.UniqueConstraint('application_id', name=op.f('uq_grants_application_id'))
    )
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_round_id'), ['round_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_round_id'))

    op.drop_table('grants')
    op.drop_table('round_funds')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_round_id_pnr_hash')
        batch_op.drop_index(batch_op.f('ix_applications_round_id'))
        batch_op.drop_index(batch_op.f('ix_applications_household_hash'))

    op.drop_table('applications')
    op.drop_table('donation_rounds')
    op.drop_table('funds')
