"""Counting the SQL a piece of code sends: the no-N+1 and caching tests compare these lists."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import event

from portal.extensions import db


@contextmanager
def recorded(this_thread_only: bool = False) -> Iterator[list[str]]:
    """Every statement sent to the database while the block runs, in order; with `this_thread_only`, not
    those of other threads (on PostgreSQL the worker thread delivers committed mail meanwhile)."""
    statements: list[str] = []
    here = threading.get_ident()

    def listener(_conn, _cursor, statement, *_args) -> None:
        if not this_thread_only or threading.get_ident() == here:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
