"""Counting the SQL a piece of code sends: the no-N+1 and caching tests compare these lists."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import event

from portal.extensions import db


@contextmanager
def recorded() -> Iterator[list[str]]:
    """Every statement sent to the database while the block runs, in order."""
    statements: list[str] = []

    def listener(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
