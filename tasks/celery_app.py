"""The Celery app. The portal's factory binds it (`bind`): broker and schedule from Settings, and the Flask
app every task body runs inside. Nothing here builds the web app: `wsgi.py` does, for gunicorn and Celery alike.
"""
from __future__ import annotations

import logging
from typing import Iterable

from celery import Celery, Task
from flask import Flask

from portal.config import Settings
from tasks import observability

log = logging.getLogger(__name__)

_flask_app: Flask | None = None


def flask_app() -> Flask:
    """The portal app tasks run inside; set by the factory through `bind`."""
    if _flask_app is None:
        raise RuntimeError("Celery is not bound to the portal: start it with `celery -A wsgi:celery worker`.")
    return _flask_app


class PortalTask(Task):
    """Runs the task body in a request context whose base URL is PORTAL_BASE_URL (links in mail)."""

    def __call__(self, *args, **kwargs):
        app = flask_app()
        with app.test_request_context("/", base_url=app.config["SETTINGS"].portal_base_url):
            return super().__call__(*args, **kwargs)


celery = Celery("oneaps", task_cls=PortalTask)


def bind(app: Flask, sweep_names: Iterable[str]) -> Celery:
    """Configure Celery from the app's Settings, schedule the relay and `sweep_names`, and run tasks in `app`."""
    global _flask_app
    _flask_app = app
    settings: Settings = app.config["SETTINGS"]
    celery.conf.update(
        broker_url=settings.broker_url,
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": 3600} if settings.redis_url else {},
        task_default_queue=settings.celery_queue,
        timezone=settings.timezone,
        enable_utc=True,
        beat_schedule=beat_schedule(settings, sweep_names),
        worker_hijack_root_logger=False,
    )
    app.extensions["celery"] = celery
    return celery


def beat_schedule(settings: Settings, sweep_names: Iterable[str]) -> dict:
    """The outbox relay plus one entry per sweep, on the intervals in Settings."""
    schedule = {"relay-outbox": {"task": "tasks.mail.relay_outbox", "schedule": float(settings.outbox_relay_seconds)}}
    for name in sorted(sweep_names):
        schedule[f"sweep-{name}"] = {"task": "tasks.sweeps.run_sweep", "args": (name,),
                                     "schedule": float(settings.sweep_interval_seconds)}
    return schedule


observability.connect(flask_app)  # beat's heartbeat needs the bound app's database
