"""Run a sweep twice at the same moment, as two beat/CLI runs overlapping would."""
from __future__ import annotations

import threading
from typing import Callable

from flask import Flask
from sqlalchemy.orm import Session

from portal.extensions import db


def run_sweep_twice_at_once(app: Flask, sweep: Callable[[Session, bool], list[str]]) -> list[int]:
    """Two threads, each with its own app context and transaction, released together; lines each returned."""
    barrier, results = threading.Barrier(2), []

    def run():
        with app.app_context():
            barrier.wait()
            with db.transaction() as session:
                results.append(len(sweep(session, False)))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results
