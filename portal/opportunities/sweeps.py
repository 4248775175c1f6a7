"""Periodic sweeps for opportunities: approval reminders and escalation, closing soon, deadline passed, expiry.

Each decides in one SQL query which opportunities are due, and claims each reminder in `reminders_sent`
before queueing it (`portal.sweeps.claim`), so running a sweep twice, even twice at once, sends it once.
Approval reminders are per round of approval: their step is `approval_reminder_step(version, n)`, and the
version moves on with every resubmission.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from portal.audit import record_admin_event
from portal.models import Opportunity, ReminderSent, User
from portal.opportunities import places, records
from portal.outbox import queue_email
from portal.sweeps import due_once, sweep
from portal.transitions import Party, apply
from workflows import clock
from workflows.calendar import waited_since

REMINDER = "opportunity-approval-reminder"
ESCALATION = "opportunity-approval-escalation"
CLOSING_SOON = "opportunity-closing-soon"
DEADLINE_PASSED = "opportunity-deadline-passed"
EXPIRY = "opportunity-expiry"


def _settings():
    return current_app.config["SETTINGS"]


def _submitted_by(working_days: int):
    """Waiting for approval at least `working_days` working days (the one calendar)."""
    return Opportunity.submitted_at < waited_since(working_days)


def _not_sent(kind: str, step) -> object:
    return ~exists(select(ReminderSent.id).where(ReminderSent.kind == kind, ReminderSent.record_id == Opportunity.id,
                                                 ReminderSent.step == step))


def _send(session: Session, dry_run: bool, opportunity: Opportunity, kind: str, step: int, template: str,
          recipients: list[Party], extra: dict) -> list[str]:
    if not due_once(session, dry_run, kind, opportunity.id, step):
        return []
    lines = [f"{template}: opportunity {opportunity.id} to {email}" for _, email in recipients]
    if dry_run:
        return lines
    context = dict(records.context(opportunity), **extra)
    for name, email in recipients:
        queue_email(session, template, email, context, key=f"{kind}:{opportunity.id}:{step}:{email.lower()}",
                    name=name, category="approvals" if "approval" in template else "my_opportunities")
    session.flush()
    return lines


def approval_reminder_step(version, n: int):
    """The step of the `n`th approval reminder in one round of approval (a record's version, or its column)."""
    return version * 10 + n


@sweep("opportunity-approval-reminders")
def approval_reminders(session: Session, dry_run: bool) -> list[str]:
    """Remind the approving manager after 3 and again after 6 working days (only the latest step due)."""
    offsets = _settings().approval_reminder_days
    lines: list[str] = []
    for n, days in enumerate(offsets, start=1):
        step = approval_reminder_step(Opportunity.version, n)
        conditions = [Opportunity.state == "approval", _submitted_by(days), _not_sent(REMINDER, step)]
        if n < len(offsets):
            conditions.append(~_submitted_by(offsets[n]))
        for opportunity in session.scalars(select(Opportunity).where(*conditions).order_by(Opportunity.id)):
            manager = (opportunity.approving_manager_name, opportunity.approving_manager_email)
            submitted_on = clock.canberra_date(opportunity.submitted_at).strftime("%-d %B %Y")
            lines += _send(session, dry_run, opportunity, REMINDER, approval_reminder_step(opportunity.version, n),
                           "opportunity_approval_reminder", [manager], {"submitted_on": submitted_on})
    return lines


@sweep("opportunity-approval-escalation")
def approval_escalation(session: Session, dry_run: bool) -> list[str]:
    """After 7 working days the host agency's admins (or, failing them, site admins) are asked to act."""
    days = _settings().approval_escalation_days
    due = session.scalars(select(Opportunity).where(
        Opportunity.state == "approval", Opportunity.escalated_at.is_(None), _submitted_by(days),
        _not_sent(ESCALATION, Opportunity.version)).order_by(Opportunity.id))
    lines: list[str] = []
    for opportunity in due:
        admins = records.parties(opportunity)["agency_admins"] or [
            (name, email) for name, email in session.execute(
                select(User.name, User.email).where(User.is_site_admin.is_(True), User.disabled_at.is_(None)))]
        sent = _send(session, dry_run, opportunity, ESCALATION, opportunity.version,
                     "opportunity_approval_escalated", admins,
                     {"working_days": days, "manager_name": opportunity.approving_manager_name or ""})
        lines += sent
        if sent and not dry_run:
            opportunity.escalated_at = clock.utcnow()
            record_admin_event(session, "opportunity", opportunity.id, "escalated", actor=None,
                               data={"working_days": days})
    return lines


@sweep("opportunity-closing-soon")
def closing_soon(session: Session, dry_run: bool) -> list[str]:
    """Tell the owners a few days before applications close."""
    today = clock.canberra_today()
    due = session.scalars(select(Opportunity).where(
        Opportunity.state == "open", Opportunity.deadline >= today,
        Opportunity.deadline <= today + timedelta(days=_settings().closing_soon_days),
        _not_sent(CLOSING_SOON, 1)).order_by(Opportunity.id))
    lines: list[str] = []
    for opportunity in due:
        lines += _send(session, dry_run, opportunity, CLOSING_SOON, 1, "opportunity_closing_soon",
                       records.parties(opportunity)["owner"],
                       {"deadline_label": opportunity.deadline.strftime("%-d %B %Y")})
    return lines


@sweep("opportunity-deadline-passed")
def deadline_passed(session: Session, dry_run: bool) -> list[str]:
    """Once applications close, ask the owners to select participants."""
    due = session.scalars(select(Opportunity).where(
        Opportunity.state == "open", Opportunity.deadline < clock.canberra_today(),
        _not_sent(DEADLINE_PASSED, 1)).order_by(Opportunity.id))
    lines: list[str] = []
    for opportunity in due:
        lines += _send(session, dry_run, opportunity, DEADLINE_PASSED, 1, "opportunity_deadline_passed",
                       records.parties(opportunity)["owner"], {"grace_days": _settings().expiry_grace_days})
    return lines


@sweep("opportunity-expiry")
def expiry(session: Session, dry_run: bool) -> list[str]:
    """Open past the deadline plus the grace period with nobody selected: expired (the owner is told)."""
    cutoff = clock.canberra_today() - timedelta(days=_settings().expiry_grace_days)
    anyone_selected = places.places_taken(Opportunity.id) > 0
    due = session.scalars(select(Opportunity).where(
        Opportunity.state == "open", Opportunity.deadline < cutoff, ~anyone_selected)
        .order_by(Opportunity.id).with_for_update(of=Opportunity))
    lines: list[str] = []
    for opportunity in due:
        if not due_once(session, dry_run, EXPIRY, opportunity.id, opportunity.version):
            continue  # a run at the same moment expires it (SQLite has no row lock to wait on)
        lines.append(f"expire: opportunity {opportunity.id}")
        if not dry_run:
            apply(session, records.OPPORTUNITY_KIND, opportunity, "expire", records.SYSTEM_ACTOR)
            opportunity.closed_at = clock.utcnow()
    return lines
