"""The mobility plan: the applicant's development goals and the conditions a home manager attaches to an approval
(issue 13).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('development_goals', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('manager_conditions', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('manager_conditions')
        batch_op.drop_column('development_goals')
