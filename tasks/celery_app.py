"""The Celery app: broker from Settings, tasks run inside the portal's app context."""
from __future__ import annotations

import logging

from celery import Celery, Task
from flask import Flask

from portal.config import Settings
from tasks import observability

log = logging.getLogger(__name__)

_flask_app: Flask | None = None


def bind_flask_app(app: Flask) -> None:
    """The portal app tasks in this process run inside (the factory calls this)."""
    global _flask_app
    _flask_app = app
    configure(app.config["SETTINGS"])


def flask_app() -> Flask:
    global _flask_app
    if _flask_app is None:
        from portal import create_app

        _flask_app = create_app()
    return _flask_app


class PortalTask(Task):
    """Runs the task body in a request context whose base URL is PORTAL_BASE_URL (links in mail)."""

    def __call__(self, *args, **kwargs):
        app = flask_app()
        with app.test_request_context("/", base_url=app.config["SETTINGS"].portal_base_url):
            return super().__call__(*args, **kwargs)


celery = Celery("oneaps", task_cls=PortalTask, include=["tasks.mail", "tasks.sweeps"])


def configure(settings: Settings) -> None:
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
        beat_schedule=beat_schedule(settings),
        worker_hijack_root_logger=False,
    )


def beat_schedule(settings: Settings) -> dict:
    """The outbox relay plus every registered sweep, on the intervals in Settings."""
    from portal.sweeps import sweep_names

    schedule = {"relay-outbox": {"task": "tasks.mail.relay_outbox", "schedule": float(settings.outbox_relay_seconds)}}
    for name in sweep_names():
        schedule[f"sweep-{name}"] = {"task": "tasks.sweeps.run_sweep", "args": (name,),
                                     "schedule": float(settings.sweep_interval_seconds)}
    return schedule


configure(Settings.from_env())
observability.connect(flask_app)
