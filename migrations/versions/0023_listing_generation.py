"""The listing generation moves in the database, in the same transaction as the change it marks, instead of in
Redis after the commit: a bump can no longer be lost, and the statement that loads the signed-in person reads it, so
a kept result page or opportunity body is checked with no round trip of its own (issue 14).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        'listing_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_generation')),
    )
    op.bulk_insert(table, [{'id': 1, 'value': 0}])


def downgrade() -> None:
    op.drop_table('listing_generation')
