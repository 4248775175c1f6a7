"""The applicants page reads one opportunity's applications oldest first, a page at a time: an index in that order
lets PostgreSQL stop after the page instead of joining every applicant and sorting.

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-06
"""
from alembic import op


revision = '0022'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_applications_opportunity_created', 'applications', ['opportunity_id', 'created_at', 'id'])


def downgrade() -> None:
    op.drop_index('ix_applications_opportunity_created', table_name='applications')
