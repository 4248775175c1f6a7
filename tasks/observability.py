"""Celery's side of operations: one JSON log line per task carrying the request id that queued it,
task failures counted, and the worker and beat heartbeats. Connected once, by celery_app."""
from __future__ import annotations

import logging
import time
from typing import Callable

from celery import signals

from portal.extensions import db
from portal.logs import forget_request_id, request_id, use_request_id
from portal.metrics import TASK_FAILURES
from portal.ops import background

log = logging.getLogger("portal.task")
_in_beat = False
_started: dict[str, float] = {}
_ensure_app: Callable[[], object] = lambda: None


def connect(ensure_app: Callable[[], object]) -> None:
    """`ensure_app` makes the portal app (and so the database) ready in a beat or worker process."""
    global _ensure_app
    _ensure_app = ensure_app


@signals.before_task_publish.connect
def _carry_request_id(headers=None, **_):
    """The id of the request (or task) that queued this task travels in its headers."""
    if headers is not None and request_id():
        headers.setdefault("request_id", request_id())
    if _in_beat:
        _ensure_app()
        background.heartbeat(db, "beat")


@signals.beat_init.connect
@signals.beat_embedded_init.connect
def _beat_started(**_):
    global _in_beat
    _in_beat = True


@signals.task_prerun.connect
def _task_started(task_id=None, task=None, **_):
    use_request_id(_carried_id(task.request) if task is not None else None)
    _started[task_id] = time.perf_counter()


def _carried_id(request) -> str | None:
    """A worker flattens message headers into the request; an eager `apply` keeps them under `headers`."""
    return request.get("request_id") or (getattr(request, "headers", None) or {}).get("request_id")


@signals.task_postrun.connect
def _task_finished(task_id=None, task=None, state=None, **_):
    elapsed = time.perf_counter() - _started.pop(task_id, time.perf_counter())
    log.info("task %s %s", task.name if task else "?", state,
             extra={"task": task.name if task else None, "task_id": task_id, "state": state,
                    "duration_ms": round(elapsed * 1000, 1)})
    background.heartbeat(db, "worker")
    forget_request_id()


@signals.task_failure.connect
def _task_failed(sender=None, task_id=None, exception=None, **_):
    TASK_FAILURES.labels(getattr(sender, "name", "unknown")).inc()
    log.warning("task %s failed: %s", getattr(sender, "name", "?"), type(exception).__name__,
                extra={"task": getattr(sender, "name", None), "task_id": task_id})


@signals.worker_ready.connect
def _worker_ready(**_):
    _ensure_app()
    background.heartbeat(db, "worker")
