"""The system page for site admins: the outbox's pending, failed and bounced messages (addresses masked) with
"retry now", each sweep's last run with "run now", and when the worker and beat were last seen."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal.access import site_admin_required
from portal import outbox
from portal.audit import record_admin_event
from portal.extensions import db
from portal.models import BackgroundStatus, OutboxMessage, User
from portal.ops.background import run_sweep
from portal.logs import mask_address, mask_addresses
from portal.sweeps import sweep_names
from workflows import Refused, clock

bp = Blueprint("system", __name__, url_prefix="/admin/system")
log = logging.getLogger(__name__)
SHOWN = 100
STATUSES = ("pending", "failed", "bounced")


@dataclass(frozen=True)
class Waiting:
    """One unsent message as the page shows it: never the full address."""

    id: int
    template: str
    status: str
    recipient: str
    attempts: int
    age: str
    last_error: str | None
    request_id: str | None


def outbox_overview(session: Session) -> tuple[list[Waiting], dict[str, tuple[int, str]]]:
    """Up to SHOWN unsent messages (failed and bounced first) and, per status, how many and the oldest's age,
    in one statement."""
    by_status = (OutboxMessage.status,)
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.template, OutboxMessage.status, OutboxMessage.recipient,
               OutboxMessage.attempts, OutboxMessage.last_error, OutboxMessage.created_at,
               OutboxMessage.request_id, func.count().over(partition_by=by_status),
               func.min(OutboxMessage.created_at).over(partition_by=by_status))
        .where(OutboxMessage.status.in_(STATUSES))
        .order_by(OutboxMessage.status != "failed", OutboxMessage.status != "bounced", OutboxMessage.created_at)
        .limit(SHOWN)).all()
    now = clock.utcnow()
    totals = {status: (0, "") for status in STATUSES}
    messages = []
    for id_, template, status, recipient, attempts, error, created, request_id, count, oldest in rows:
        totals[status] = (count, _age(now, oldest))
        messages.append(Waiting(id_, template, status, mask_address(recipient) or "(background job)", attempts,
                                _age(now, created), mask_addresses(error) if error else None, request_id))
    return messages, totals


def _age(now: datetime, then: datetime | None) -> str:
    if then is None:
        return ""
    seconds = max(0, int((now - then).total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            return f"{seconds // size} {unit}{'s' if seconds // size != 1 else ''}"
    return f"{seconds} seconds"


def retry(session: Session, message_id: int, actor: User) -> None:
    """A failed message goes back to pending (audited); the caller commits and hands it to the queue."""
    changed = session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id,
                                                          OutboxMessage.status == "failed")
                              .values(status="pending", relayed_at=None, last_attempt_at=None))
    if changed.rowcount != 1:
        raise Refused("Only a message that failed can be sent again; this one is not failed now.")
    record_admin_event(session, "outbox_message", message_id, "retry", actor=actor)


@bp.route("/")
@site_admin_required
def index():
    messages, totals = outbox_overview(db.session)
    status = {row.name: row for row in db.session.scalars(select(BackgroundStatus))}
    now = clock.utcnow()
    heartbeats = {name: (_age(now, status[name].last_finished_at) if name in status else None)
                  for name in ("worker", "beat")}
    sweeps = [(name, status.get(name)) for name in sweep_names()]
    return render_template("admin/system.html", messages=messages, totals=totals, sweeps=sweeps,
                           heartbeats=heartbeats, now=now, age=_age)


@bp.route("/outbox/<id:message_id>/retry", methods=["POST"])
@site_admin_required
def retry_message(message_id: int):
    retry(db.session, message_id, current_user)
    db.session.commit()
    if publish := outbox.publisher(db.session_factory):
        publish([message_id])  # a retried message adds no new outbox row, so nothing else hands it over
    flash(f"Message {message_id} is queued to be sent again.", "success")
    return redirect(url_for("system.index"))


@bp.route("/sweeps/<name>/run", methods=["POST"])
@site_admin_required
def run_now(name: str):
    if name not in sweep_names():
        abort(404, "There is no sweep with that name.")
    try:
        lines = run_sweep(db, name, actor=current_user._get_current_object())
    except Exception:  # recorded on the sweep's row and logged; the page says so instead of a 500
        log.exception("sweep %s failed when run by hand", name)
        flash(f"{name} failed; its error is shown below and in the log. Nothing it did was kept.", "error")
        return redirect(url_for("system.index"))
    if lines is None:
        flash(f"{name} is running already; it was not started again.", "info")
    else:
        flash(f"{name} ran: {len(lines)} item{'s' if len(lines) != 1 else ''}.", "success")
    return redirect(url_for("system.index"))
