"""Deliver outbox messages; re-queue what was left behind. Thin wrappers over portal.outbox."""
from __future__ import annotations

import smtplib

from celery.utils.log import get_task_logger

import portal.outbox as outbox
from portal.extensions import db
from portal.mail import transport_from_settings
from tasks.celery_app import celery, flask_app

log = get_task_logger(__name__)
TRANSIENT = (smtplib.SMTPException, OSError)


@celery.task(bind=True, max_retries=None)
def deliver_outbox(self, message_id: int) -> bool:
    """At least once: acks late, retried with backoff while SMTP is down; the row lock and the
    message's status make a repeat a no-op."""
    settings = flask_app().config["SETTINGS"]
    try:
        with db.transaction() as session:
            return outbox.deliver(session, message_id, transport_from_settings(settings))
    except TRANSIENT as error:
        with db.transaction() as session:
            outbox.record_failure(session, message_id, error)
        countdown = min(settings.mail_retry_backoff_seconds * 2 ** self.request.retries,
                        settings.mail_retry_backoff_max_seconds)
        log.warning("outbox %s not delivered (%s); retrying in %ss", message_id, error, countdown)
        raise self.retry(exc=error, countdown=countdown)


@celery.task
def relay_outbox() -> int:
    """Messages committed but never handed to the queue (a crash, Redis down) go again."""
    settings = flask_app().config["SETTINGS"]
    with db.transaction() as session:
        ids = outbox.claim_for_relay(session, settings.outbox_relay_after_seconds,
                                     settings.mail_retry_backoff_max_seconds + settings.outbox_relay_after_seconds)
    publish(ids)
    return len(ids)


def publish(ids: list[int]) -> None:
    """Hand committed outbox ids to the queue; the relay covers any failure here."""
    for message_id in ids:
        deliver_outbox.apply_async((message_id,), retry=True,
                                   retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5})
