"""Clean one-line text typed before the forms refused control characters: each run of them becomes one space

A title, name or headline with a line break (or a tab, NUL, or an invisible character such as the right-to-left
override) could not go into an e-mail header, so mail about that record was never built. The forms refuse
such characters now; this cleans what was stored before, with the same rule (portal.text.one_line). Where the
cleaned value is taken already in a unique column, the row's id is added in brackets.

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa

from portal import text


revision = '0011'
down_revision = '0014'
branch_labels = None
depends_on = None

ONE_LINE = {
    "opportunities": ("title", "team", "location_city", "host_address", "contact_name", "approving_manager_name"),
    "users": ("name", "job_title", "location", "supervisor_name"),
    "applications": ("home_manager_name",),
    "acknowledgements": ("name",),
    "agencies": ("name", "abbreviation", "portfolio"),
    "skills": ("name", "family"),
    "announcements": ("title",),
    "saved_searches": ("name",),
    "api_tokens": ("name",),
    "notifications": ("title",),
    "outbox_messages": ("recipient_name",),
}
# Unique columns: the columns uniqueness is within, and the column's length.
UNIQUE_WITHIN = {("agencies", "name"): ((), 200), ("skills", "name"): ((), 80),
                 ("saved_searches", "name"): (("user_id",), 80)}


def upgrade() -> None:
    connection = op.get_bind()
    for table_name, columns in ONE_LINE.items():
        scope = sorted({c for (t, _), (within, _) in UNIQUE_WITHIN.items() if t == table_name for c in within})
        table = sa.table(table_name, sa.column("id"), *(sa.column(c) for c in (*columns, *scope)))
        dirty = [row for row in connection.execute(sa.select(table).order_by(table.c.id)).mappings()
                 if any(text.problem(row[c]) for c in columns if isinstance(row[c], str))]
        for row in dirty:
            changes = {c: text.one_line(row[c]) for c in columns if isinstance(row[c], str) and text.problem(row[c])}
            for column, cleaned in list(changes.items()):
                if (table_name, column) in UNIQUE_WITHIN:
                    taken = sa.select(table.c.id).where(table.c[column] == cleaned, table.c.id != row["id"],
                                                        *(table.c[c] == row[c] for c in scope))
                    if connection.execute(taken).first() is not None:
                        suffix = f" ({row['id']})"
                        changes[column] = cleaned[:UNIQUE_WITHIN[table_name, column][1] - len(suffix)] + suffix
            connection.execute(sa.update(table).where(table.c.id == row["id"]).values(**changes))


def downgrade() -> None:
    """The characters removed were the fault: nothing to put back."""
