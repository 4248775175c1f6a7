"""Date changes after confirmation: new dates or commitment wait for the home manager before a new arrangement.

Revision ID: 0020
Revises: 0021
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('date_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('commitment_kind', sa.String(length=20), nullable=False),
    sa.Column('commitment_amount', sa.Integer(), nullable=True),
    sa.Column('agreed_start_date', sa.Date(), nullable=True),
    sa.Column('agreed_end_date', sa.Date(), nullable=True),
    sa.Column('agreed_commitment_kind', sa.String(length=20), nullable=False),
    sa.Column('agreed_commitment_amount', sa.Integer(), nullable=True),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('arrangement_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_date_changes_application_id_applications')),
    sa.ForeignKeyConstraint(['arrangement_id'], ['arrangements.id'], name=op.f('fk_date_changes_arrangement_id_arrangements')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_date_changes_proposed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_date_changes'))
    )
    op.create_index('ix_date_changes_application_state', 'date_changes', ['application_id', 'state'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_date_changes_application_state', table_name='date_changes')
    op.drop_table('date_changes')
