"""The outbox: side effects recorded in the caller's transaction, carried out after commit.

Two kinds of entry: e-mails (rendered from templates/email/) and jobs (background work such as rendering
an arrangement PDF). Each has an idempotency key and is done at most once per key. The app factory says
which functions carry out jobs and load attachments (`Handlers`) and who is handed the ids of committed
entries (`publish_after_commit`).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from email.errors import MessageError
from email.message import EmailMessage
from typing import Callable, Iterable
from weakref import WeakKeyDictionary

from flask import current_app
from jinja2 import TemplateError
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session, sessionmaker

from portal.mail import PermanentFailure, Transport, render, subject
from portal.models import OutboxMessage
from portal.models.outbox import EMAIL, JOB
from portal import logs, metrics, notices
from workflows import clock

log = logging.getLogger(__name__)
# What building a message from its row can raise when the data or the template is wrong: retrying cannot help,
# so the message is marked failed with the reason (TemplateNotFound is also an OSError, which would retry forever).
UNBUILDABLE = (ValueError, TypeError, LookupError, TemplateError, MessageError)

Attachment = tuple[str, str, bytes]  # filename, mime type, content
AttachmentLoader = Callable[[Session, dict], Attachment]
Job = Callable[[Session, dict], None]
Publisher = Callable[[list[int]], None]


@dataclass(frozen=True)
class Handlers:
    """What carries out each job and loads each kind of attachment; the factory passes them in."""

    jobs: dict[str, Job] = field(default_factory=dict)
    attachments: dict[str, AttachmentLoader] = field(default_factory=dict)


def handlers() -> Handlers:
    return current_app.extensions["outbox_handlers"]


@dataclass(frozen=True)
class Email:
    """One e-mail to queue: what queue_email takes, for queueing many in one go."""

    template: str
    to: str
    context: dict
    key: str
    name: str | None = None
    category: str = "general"
    attachments: tuple[dict, ...] = ()


def queue_email(session: Session, template: str, to: str, context: dict, key: str, *,
                name: str | None = None, category: str = "general",
                attachments: Iterable[dict] = ()) -> OutboxMessage | None:
    """Record an e-mail to send once the caller commits; the same key is only ever queued once."""
    queued = queue_emails(session, [Email(template, to, context, key, name, category, tuple(attachments))])
    return queued[0] if queued else None


def queue_emails(session: Session, emails: list[Email]) -> list[OutboxMessage]:
    """Record many e-mails in a fixed number of statements whatever their number (a sweep's thousands of
    alerts): keys already queued are skipped, the rest inserted together with their in-app notices."""
    known = {key for chunk in _chunks([e.key for e in emails]) for key in session.scalars(
        select(OutboxMessage.idempotency_key).where(OutboxMessage.idempotency_key.in_(chunk)))}
    messages = []
    for email in emails:
        if email.key in known:
            continue
        known.add(email.key)
        messages.append(OutboxMessage(kind=EMAIL, template=email.template, recipient=email.to.lower(),
                                      recipient_name=email.name, context=email.context,
                                      idempotency_key=email.key, category=email.category,
                                      attachments=list(email.attachments), request_id=logs.request_id()))
    session.add_all(messages)
    notices.route_queued_emails(session, [(m, subject(m), _notice_link(m.context)) for m in messages])
    return messages


def _chunks(values: list, size: int = 1000) -> Iterable[list]:
    """Lists short enough for an IN (...) on either database."""
    return (values[start:start + size] for start in range(0, len(values), size))


def _notice_link(context: dict) -> str | None:
    """Where the in-app notice points: the e-mail's action link, else the page that fits the recipient."""
    hosting = context.get("recipient_role") in ("host", "owner")
    for key in ("link", "review_url" if hosting else "tracker_url", "opportunity_url", "url"):
        if isinstance(context.get(key), str):
            return context[key]
    return None


def queue_job(session: Session, name: str, context: dict, key: str) -> OutboxMessage | None:
    """Record background work (not an e-mail) to run once the caller commits; a key is only queued once."""
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)) is not None:
        return None
    message = OutboxMessage(kind=JOB, template=name, recipient=None, context=context, idempotency_key=key,
                            category="general", attachments=[], request_id=logs.request_id())
    session.add(message)
    return message


def deliver(session: Session, message_id_: int, transport: Transport) -> bool:
    """Send one outbox message unless it already went; True when this call sent it.

    The row is locked while sending, so two workers handed the same id cannot both send it.
    """
    message = session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id_)
                             .with_for_update(skip_locked=True))
    if message is None or message.status != "pending":
        return False
    if message.request_id:
        logs.use_request_id(message.request_id)  # the log lines of this delivery carry the request that queued it
    message.attempts += 1
    if message.kind == JOB:
        handlers().jobs[message.template](session, message.context)
        message.status, message.sent_at = "sent", clock.utcnow()
        session.commit()
        return True
    try:
        email = _build(session, message)
    except UNBUILDABLE as error:
        message.status, message.last_error = "failed", f"Could not be built: {type(error).__name__}: {error}"[:2000]
        session.commit()
        metrics.count_email("failed")
        log.error("outbox %s could not be built and is marked failed: %s", message.id, message.last_error)
        return False
    try:
        transport.send(email)
    except PermanentFailure as failure:
        message.status, message.last_error = "bounced", str(failure)[:2000]
        notices.mark_bounced(session, message.recipient)
        session.commit()
        metrics.count_email("bounced")
        log.warning("outbox %s permanently refused: %s", message.id, failure)
        return False
    message.status, message.sent_at, message.last_error = "sent", clock.utcnow(), None
    session.commit()
    metrics.count_email("sent")
    return True


def _build(session: Session, message: OutboxMessage) -> EmailMessage:
    settings = current_app.config["SETTINGS"]
    email = render(message, settings.mail_from, notices.unsubscribe_url(session, message))
    for attachment in message.attachments:
        filename, mime, content = handlers().attachments[attachment["kind"]](session, attachment)
        maintype, subtype = mime.split("/", 1)
        email.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return email


def record_failure(session: Session, message_id_: int, error: Exception) -> None:
    """Note a failed attempt (in its own transaction), so the relay leaves a message in retry alone."""
    message = session.get(OutboxMessage, message_id_)
    if message is not None and message.status == "pending":
        message.attempts += 1
        message.last_attempt_at = clock.utcnow()
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        metrics.count_email("deferred")


def claim_for_relay(session: Session, after_seconds: int, stale_seconds: int, limit: int = 500) -> list[int]:
    """Pending messages whose task seems lost: older than `after_seconds`, and neither attempted nor
    relayed in the last `stale_seconds` (a message in retry backoff is left to its own retries)."""
    now = clock.utcnow()
    cutoff, stale = now - timedelta(seconds=after_seconds), now - timedelta(seconds=stale_seconds)
    ids = list(session.scalars(
        select(OutboxMessage.id).where(
            OutboxMessage.status == "pending", OutboxMessage.created_at <= cutoff,
            (OutboxMessage.last_attempt_at.is_(None)) | (OutboxMessage.last_attempt_at <= stale),
            (OutboxMessage.relayed_at.is_(None)) | (OutboxMessage.relayed_at <= stale))
        .order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True)))
    if ids:
        session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(relayed_at=now))
    return ids


_PUBLISHERS: WeakKeyDictionary[sessionmaker, Publisher] = WeakKeyDictionary()


def publish_after_commit(factory: sessionmaker[Session], publish: Publisher) -> None:
    """Hand the ids of outbox entries flushed by a session of `factory` to `publish` once that session commits
    (never for a rollback). Called again for the same factory, it replaces the publisher. A failed hand-off
    is logged: the relay re-queues whatever stays pending."""
    known = factory in _PUBLISHERS
    _PUBLISHERS[factory] = publish
    if known:
        return

    @event.listens_for(factory, "after_flush")
    def _collect(session: Session, _context) -> None:
        ids = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
        if ids:
            session.info.setdefault("outbox_ids", []).extend(ids)

    @event.listens_for(factory, "after_commit")
    def _publish(session: Session) -> None:
        ids = session.info.pop("outbox_ids", None)
        if ids:
            try:
                _PUBLISHERS[factory](ids)
            except Exception:
                log.exception("could not publish outbox messages %s; the relay will retry", ids)

    @event.listens_for(factory, "after_rollback")
    def _forget(session: Session) -> None:
        session.info.pop("outbox_ids", None)


def publisher(factory: sessionmaker[Session]) -> Publisher | None:
    """Who `factory`'s committed outbox ids go to (tests put a different one in for a while)."""
    return _PUBLISHERS.get(factory)
