"""Run one of the sweeps the portal's factory registered (beat schedules one task per sweep)."""
from __future__ import annotations

import portal.sweeps
from portal.extensions import db
from tasks.celery_app import celery


@celery.task
def run_sweep(name: str) -> int:
    with db.transaction() as session:
        return len(portal.sweeps.load_all()[name](session, False))
