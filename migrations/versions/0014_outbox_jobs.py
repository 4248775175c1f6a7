"""Outbox entries have a kind: an e-mail, or a job (background work such as an arrangement PDF) with no
recipient. Rows queued as e-mails with a `job:` template and a blank recipient become jobs (their keys,
already unique, are kept).

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), server_default='email', nullable=False))
        batch_op.alter_column('recipient', existing_type=sa.String(length=254), nullable=True)
    op.execute("UPDATE outbox_messages SET kind = 'job', template = substr(template, 5), recipient = NULL, "
               "category = 'general' WHERE template LIKE 'job:%'")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_outbox_messages_kind'), "kind IN ('email', 'job')")
        batch_op.create_check_constraint(op.f('ck_outbox_messages_recipient_for_email'), "(kind = 'job') = (recipient IS NULL)")


def downgrade() -> None:
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_messages_recipient_for_email'), type_='check')
        batch_op.drop_constraint(op.f('ck_outbox_messages_kind'), type_='check')
    op.execute("UPDATE outbox_messages SET template = 'job:' || template, recipient = '', category = 'job' "
               "WHERE kind = 'job'")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('recipient', existing_type=sa.String(length=254), nullable=False)
        batch_op.drop_column('kind')
