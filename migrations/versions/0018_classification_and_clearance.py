"""A person's APS classification and the security clearance they hold, on their profile (issue 13).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aps_classification', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('clearance', sa.String(length=10), server_default='none', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('clearance')
        batch_op.drop_column('aps_classification')
