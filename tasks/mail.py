"""Deliver outbox e-mail; re-queue what was left behind."""
from __future__ import annotations

import smtplib

from celery.utils.log import get_task_logger

from portal import mail, outbox
from portal.extensions import db
from tasks.celery_app import celery, flask_app

log = get_task_logger(__name__)


@celery.task(bind=True, autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=5,
             retry_backoff_max=600, retry_jitter=True, max_retries=None)
def deliver_outbox(self, message_id: int) -> bool:
    settings = flask_app().config["SETTINGS"]
    with db.transaction() as session:
        return outbox.deliver(session, message_id, mail.transport_from_settings(settings))


@celery.task
def relay_outbox() -> int:
    """Messages committed but never handed to the queue (a crash, Redis down) go again."""
    with db.transaction() as session:
        ids = outbox.pending_ids(session)
    publish(ids)
    return len(ids)


def publish(ids: list[int]) -> None:
    """Hand committed outbox ids to the queue; the relay covers any failure here."""
    for message_id in ids:
        deliver_outbox.apply_async((message_id,), retry=True,
                                   retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5})
