"""opportunity browse indexes: facet counts from the index alone, newest-first pages without a sort

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

BROWSE_COLUMNS = ['state', 'deadline', 'restricted_to_agency', 'host_agency_id', 'kind', 'work_mode',
                  'location_state', 'commitment_band', 'clearance']


def upgrade() -> None:
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.create_index('ix_opportunities_browse', BROWSE_COLUMNS, unique=False)
        batch_op.create_index('ix_opportunities_state_approved', ['state', 'approved_at', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_index('ix_opportunities_state_approved')
        batch_op.drop_index('ix_opportunities_browse')
