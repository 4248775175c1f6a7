"""gunicorn hooks for Prometheus multiprocess mode: `gunicorn -c python:portal.ops.gunicorn wsgi:app`.

Each worker writes its counters to files in PROMETHEUS_MULTIPROC_DIR; /metrics in any worker sums them.
The folder is emptied when gunicorn starts and a dead worker's live gauges are dropped."""
from __future__ import annotations

from pathlib import Path

from portal.config import Settings


def on_starting(_server) -> None:
    folder = Settings.from_env().prometheus_multiproc_dir
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for stale in Path(folder).glob("*.db"):
            stale.unlink()


def child_exit(_server, worker) -> None:
    from prometheus_client import multiprocess

    if Settings.from_env().prometheus_multiproc_dir:
        multiprocess.mark_process_dead(worker.pid)
