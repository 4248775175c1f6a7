"""Run one registered sweep (beat schedules one task per sweep)."""
from __future__ import annotations

from portal.extensions import db
from portal.sweeps import load_all
from tasks.celery_app import celery


@celery.task
def run_sweep(name: str) -> int:
    with db.transaction() as session:
        return len(load_all()[name](session, False))
