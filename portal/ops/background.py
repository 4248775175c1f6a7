"""Sweep runs and heartbeats: the one place a sweep is run for real (beat, "run now", the CLI), holding its
status row's lock so two runs of one sweep never overlap, and recording when, how long and how much."""
from __future__ import annotations

import logging
import time
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.audit import record_admin_event
from portal.db import Database
from portal.models import BackgroundStatus, User
from portal.ops.logs import mask_addresses
from portal.sweeps import load_all
from workflows import clock

log = logging.getLogger(__name__)
HEARTBEAT_EVERY_SECONDS = 30
_last_beat: dict[str, float] = {}


def _ensure(session: Session, name: str, kind: str) -> None:
    table = BackgroundStatus.__table__
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)
    session.execute(insert.values(name=name, kind=kind, runs=0).on_conflict_do_nothing(index_elements=["name"]))


def _lock(session: Session, name: str) -> BackgroundStatus | None:
    """The sweep's row, locked for this transaction; None while another run holds it."""
    _ensure(session, name, "sweep")
    return session.scalar(select(BackgroundStatus).where(BackgroundStatus.name == name)
                          .with_for_update(skip_locked=True).execution_options(populate_existing=True))


def run_sweep(database: Database, name: str, *, actor: User | None = None) -> list[str] | None:
    """Run sweep `name` and commit; its lines, or None when it was already running elsewhere.
    `actor` is the site admin who pressed "run now" (audited with the run)."""
    sweep = load_all()[name]
    started, begun = clock.utcnow(), time.perf_counter()
    try:
        with database.transaction() as session:
            status = _lock(session, name)
            if status is None:
                return None
            lines = sweep(session, False)
            _finished(status, started, begun, len(lines), None)
            if actor is not None:
                record_admin_event(session, "sweep", 0, "run_now", actor=actor, data={"sweep": name, "items": len(lines)})
    except Exception as error:
        with database.transaction() as session:
            status = _lock(session, name)
            if status is not None:
                _finished(status, started, begun, None, mask_addresses(f"{type(error).__name__}: {error}")[:2000])
        raise
    log.info("sweep %s: %d in %d ms", name, len(lines), status.last_duration_ms,
             extra={"sweep": name, "items": len(lines), "duration_ms": status.last_duration_ms})
    return lines


def _finished(status: BackgroundStatus, started: datetime, begun: float, items: int | None,
              error: str | None) -> None:
    status.last_started_at, status.last_finished_at = started, clock.utcnow()
    status.last_duration_ms = round((time.perf_counter() - begun) * 1000)
    status.last_items, status.last_error, status.runs = items, error, status.runs + 1


def heartbeat(database: Database, process: str) -> None:
    """Note that the worker or beat is alive, at most every HEARTBEAT_EVERY_SECONDS per process."""
    now = time.monotonic()
    if database.engine is None or now - _last_beat.get(process, -HEARTBEAT_EVERY_SECONDS) < HEARTBEAT_EVERY_SECONDS:
        return
    _last_beat[process] = now
    try:
        with database.transaction() as session:
            _ensure(session, process, "heartbeat")
            status = session.get(BackgroundStatus, process)
            status.last_finished_at, status.runs = clock.utcnow(), status.runs + 1
    except Exception:  # a heartbeat never stops real work
        log.exception("could not record the %s heartbeat", process)
