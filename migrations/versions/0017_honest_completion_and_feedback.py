"""Honest completion and feedback that counts: the reason a host gave for finishing a participation early,
and whether the participant shows their host's comment on their profile.

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('early_finish_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shown_on_profile', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_column('shown_on_profile')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('early_finish_reason')
