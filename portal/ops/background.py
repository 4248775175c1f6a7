"""Sweep runs and heartbeats: the one place a sweep is run for real (beat, "run now", the CLI), claiming its
status row first so two runs of one sweep never overlap, and recording when, how long and how much."""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal.audit import record_admin_event
from portal.db import Database
from portal.models import BackgroundStatus, User
from portal.logs import mask_addresses
from portal.sweeps import load_all
from workflows import clock

log = logging.getLogger(__name__)
HEARTBEAT_EVERY_SECONDS = 30
CLAIM_EXPIRES = timedelta(hours=1)
_last_beat: dict[str, float] = {}


def _ensure(session: Session, name: str, kind: str) -> None:
    table = BackgroundStatus.__table__
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)
    session.execute(insert.values(name=name, kind=kind, runs=0).on_conflict_do_nothing(index_elements=["name"]))


def claim(database: Database, name: str) -> bool:
    """Mark sweep `name` as running, in a transaction of its own; False while another run holds it."""
    now = clock.utcnow()
    with database.transaction() as session:
        _ensure(session, name, "sweep")
        claimed = session.execute(update(BackgroundStatus).where(
            BackgroundStatus.name == name,
            or_(BackgroundStatus.running_since.is_(None), BackgroundStatus.running_since < now - CLAIM_EXPIRES))
            .values(running_since=now))
    return claimed.rowcount == 1


def run_sweep(database: Database, name: str, *, actor: User | None = None) -> list[str] | None:
    """Run sweep `name` and commit; its lines, or None when it was already running elsewhere.
    `actor` is the site admin who pressed "run now" (audited with the run)."""
    sweep = load_all()[name]
    if not claim(database, name):
        return None
    started, begun = clock.utcnow(), time.perf_counter()
    try:
        with database.transaction() as session:
            lines = sweep(session, False)
            status = _finished(session, name, started, begun, len(lines), None)
            if actor is not None:
                record_admin_event(session, "sweep", 0, "run_now", actor=actor, data={"sweep": name, "items": len(lines)})
    except Exception as error:
        with database.transaction() as session:
            _finished(session, name, started, begun, None, mask_addresses(f"{type(error).__name__}: {error}")[:2000])
        raise
    log.info("sweep %s: %d in %d ms", name, len(lines), status.last_duration_ms,
             extra={"sweep": name, "items": len(lines), "duration_ms": status.last_duration_ms})
    return lines


def _finished(session: Session, name: str, started: datetime, begun: float, items: int | None,
              error: str | None) -> BackgroundStatus:
    status = session.get(BackgroundStatus, name, populate_existing=True)
    status.running_since = None
    status.last_started_at, status.last_finished_at = started, clock.utcnow()
    status.last_duration_ms = round((time.perf_counter() - begun) * 1000)
    status.last_items, status.last_error, status.runs = items, error, status.runs + 1
    return status


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
