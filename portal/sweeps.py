"""Periodic sweeps. Each sweep is set-based SQL, idempotent, and says what it did.

A sweep takes (session, dry_run) and returns one line per message it queued (or would queue). A reminder is
sent once by claiming it first (`claim`, INSERT … ON CONFLICT DO NOTHING on `reminders_sent`): a run that
overlaps another finds the claim taken and moves on, on SQLite and PostgreSQL alike. Feature modules name
theirs with @sweep("name"); the factory collects them from the modules it lists (`collect`), and beat, the
worker and `flask reminders run` read that one list (`load_all`).
"""
from __future__ import annotations

from inspect import isfunction
from types import ModuleType
from typing import Callable

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.models import ReminderSent
from workflows import clock

Sweep = Callable[[Session, bool], list[str]]


def sweep(name: str) -> Callable[[Sweep], Sweep]:
    """Names a function as a sweep; it runs once the factory collects its module."""
    def decorator(function: Sweep) -> Sweep:
        function.sweep_name = name  # type: ignore[attr-defined]
        return function
    return decorator


def collect(*modules: ModuleType) -> dict[str, Sweep]:
    """The sweeps defined in `modules`, by name (the factory passes every module that has some)."""
    found: dict[str, Sweep] = {}
    for module in modules:
        for value in vars(module).values():
            if not isfunction(value) or value.__module__ != module.__name__:
                continue
            name = getattr(value, "sweep_name", None)
            if isinstance(name, str):
                if name in found:
                    raise ValueError(f"two sweeps are called {name}")
                found[name] = value
    return found


def load_all() -> dict[str, Sweep]:
    """The sweeps the factory registered for the current app."""
    return current_app.extensions["sweeps"]


def sweep_names() -> list[str]:
    return sorted(load_all())


def today_step() -> int:
    """Today in Canberra as a number (20261126): the step of a once-a-day reminder."""
    return int(clock.canberra_today().strftime("%Y%m%d"))


def claim(session: Session, kind: str, record_id: int, step: int) -> bool:
    """Record that this reminder goes out; false when a parallel sweep already claimed it (the row is unique)."""
    return record_id in claim_many(session, kind, [record_id], step)


def due_once(session: Session, dry_run: bool, kind: str, record_id: int, step: int) -> bool:
    """Whether a sweep goes on with this reminder: always in a dry run (which claims nothing), otherwise only
    when this run claims it, so two runs at once never both send it."""
    return dry_run or claim(session, kind, record_id, step)


def claim_many(session: Session, kind: str, record_ids: list[int], step: int) -> set[int]:
    """`claim` for many records in one statement per thousand: the ids this call claimed."""
    table = ReminderSent.__table__
    dialect = session.get_bind().dialect.name
    claimed: set[int] = set()
    for start in range(0, len(record_ids), 1000):
        rows = [{"kind": kind, "record_id": record_id, "step": step, "sent_at": clock.utcnow()}
                for record_id in record_ids[start:start + 1000]]
        insert = (postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)).values(rows)
        claimed.update(session.scalars(insert.on_conflict_do_nothing(index_elements=["kind", "record_id", "step"])
                                       .returning(table.c.record_id)))
    return claimed
