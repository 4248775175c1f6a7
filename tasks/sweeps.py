"""Run one of the sweeps the portal's factory registered (beat schedules one task per sweep)."""
from __future__ import annotations

from portal.extensions import db
from portal.ops.background import run_sweep as run_recorded
from tasks.celery_app import celery


@celery.task
def run_sweep(name: str) -> int:
    """Recorded and locked like "run now": a run already in progress elsewhere makes this one a no-op."""
    return len(run_recorded(db, name) or [])
