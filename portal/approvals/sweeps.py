"""The home manager's reminders (after 3 and 6 working days) and the lapse of an unanswered request (after 10
working days): set-based sweeps.

"N working days after the request" is `workflows.calendar.waited_since(N)`, the one working-day calendar.
Each reminder is claimed once per step in reminders_sent (`portal.sweeps.claim`), so two runs at once, or a
run by hand while beat runs, send it once.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload

from portal import transitions
from portal.applications import services
from portal.models import Application, Opportunity, ReminderSent
from portal.sweeps import due_once, sweep
from workflows.calendar import waited_since

REMINDER_KIND = "home-manager-reminder"
LAPSE_KIND = "home-manager-lapse"


def _waiting_since(before: datetime):
    return (select(Application).where(Application.state == "manager_approval",
                                      Application.manager_requested_at < before)
            .options(joinedload(Application.opportunity).joinedload(Opportunity.owner),
                     joinedload(Application.applicant))
            .order_by(Application.id))


@sweep("home-manager-reminders")
def remind_home_managers(session: Session, dry_run: bool) -> list[str]:
    """Latest step first, so a sweep that missed a day sends one reminder, not two."""
    settings = current_app.config["SETTINGS"]
    steps = sorted(enumerate(settings.approval_reminder_days, start=1), reverse=True)
    lines = []
    for step, days in steps:
        already = exists().where(ReminderSent.kind == REMINDER_KIND, ReminderSent.record_id == Application.id,
                                 ReminderSent.step >= step)
        for application in session.scalars(_waiting_since(waited_since(days)).where(~already)).unique():
            if not due_once(session, dry_run, REMINDER_KIND, application.id, step):
                continue
            lines.append(f"reminder {step} to {application.home_manager_email} about application {application.id}")
            if not dry_run:
                services.ask_home_manager(session, application, step=step)
        session.flush()
    return lines


@sweep("home-manager-lapse")
def lapse_unanswered(session: Session, dry_run: bool) -> list[str]:
    """No answer within the lapse period: the request lapses, both sides are told, the place is free."""
    days = current_app.config["SETTINGS"].home_manager_lapse_days
    lines = []
    for application in session.scalars(_waiting_since(waited_since(days)).with_for_update(of=Application)).unique():
        if not due_once(session, dry_run, LAPSE_KIND, application.id, application.version):
            continue  # a run at the same moment lapses it (SQLite has no row lock to wait on)
        lines.append(f"lapse application {application.id} (home manager {application.home_manager_email})")
        if not dry_run:
            transitions.apply(session, services.KIND, application, "lapse", services.SYSTEM)
    return lines
