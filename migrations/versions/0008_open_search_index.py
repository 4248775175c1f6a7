"""text search over open opportunities only: a partial GIN index (PostgreSQL; SQLite's FTS5 needs none)

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-25
"""
from alembic import op

from portal import search_schema

revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in search_schema.POSTGRES_OPEN_INDEX_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in search_schema.POSTGRES_OPEN_INDEX_DOWN:
            op.execute(statement)
