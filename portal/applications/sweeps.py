"""Home-manager reminders (3 and 6 working days) and lapse (10 working days); reminders for missing
arrangement acknowledgements and for marking a participation complete. All set-based sweeps.

"N working days after the request" is `workflows.calendar.waited_since(N)`, the one working-day calendar.
Each reminder is claimed once per step in reminders_sent (`portal.sweeps.claim`), so two runs at once, or a
run by hand while beat runs, send it once.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload

from portal import transitions
from portal.applications import services
from portal.models import Acknowledgement, Application, Arrangement, Opportunity, ReminderSent
from portal.sweeps import due_once, sweep
from workflows import clock
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


ACKNOWLEDGEMENT_KIND = "arrangement-acknowledgement-reminder"
COMPLETION_KIND = "completion-reminder"
ACKNOWLEDGEMENT_REMINDER_DAYS = 3
COMPLETION_REMINDER_DAYS = 7


@sweep("arrangement-acknowledgement-reminders")
def remind_missing_acknowledgements(session: Session, dry_run: bool) -> list[str]:
    """Parties who have not acknowledged the latest arrangement after 3 working days get it again, once."""
    from portal.applications.paperwork import owed_acknowledgements, send_for_acknowledgement

    already = exists().where(ReminderSent.kind == ACKNOWLEDGEMENT_KIND, ReminderSent.record_id == Acknowledgement.id)
    due = session.execute(
        select(Acknowledgement, Arrangement, Application).join(Acknowledgement.arrangement)
        .join(Application, Application.id == Arrangement.application_id)
        .where(*owed_acknowledgements(), Arrangement.created_at < waited_since(ACKNOWLEDGEMENT_REMINDER_DAYS),
               ~already)
        .options(joinedload(Application.opportunity).joinedload(Opportunity.owner),
                 joinedload(Application.applicant))
        .order_by(Acknowledgement.id)).unique().all()
    lines = []
    for ack, arrangement, application in due:
        if not due_once(session, dry_run, ACKNOWLEDGEMENT_KIND, ack.id, 1):
            continue
        lines.append(f"acknowledgement reminder to {ack.email} for {arrangement.reference} v{arrangement.version}")
        if not dry_run:
            send_for_acknowledgement(session, application, arrangement, ack, step=1)
    return lines


@sweep("completion-reminders")
def remind_hosts_to_complete(session: Session, dry_run: bool) -> list[str]:
    """A week after the end date, hosts who have not marked a participation complete are asked to."""
    ended_before = clock.canberra_today() - timedelta(days=COMPLETION_REMINDER_DAYS)
    already = exists().where(ReminderSent.kind == COMPLETION_KIND, ReminderSent.record_id == Application.id)
    due = session.scalars(
        select(Application).join(Application.opportunity)
        .where(Application.state == "confirmed", Opportunity.end_date <= ended_before, ~already)
        .options(joinedload(Application.opportunity).joinedload(Opportunity.owner),
                 joinedload(Application.applicant))
        .order_by(Application.id)).unique().all()
    lines = []
    for application in due:
        if not due_once(session, dry_run, COMPLETION_KIND, application.id, 1):
            continue
        lines.append(f"completion reminder to the hosts of application {application.id}")
        if not dry_run:
            services.tell(session, application, "completion_reminder", "host", services.SYSTEM)
    return lines


STARTS_KIND = "participation-starts-reminder"


@sweep("participation-starts-tomorrow")
def remind_start(session: Session, dry_run: bool) -> list[str]:
    """The day before a confirmed participation starts, the participant and the hosts are reminded
    (a sweep that missed that day still sends it on the start day itself)."""
    today = clock.canberra_today()
    already = exists().where(ReminderSent.kind == STARTS_KIND, ReminderSent.record_id == Application.id)
    due = session.scalars(
        select(Application).join(Application.opportunity)
        .where(Application.state == "confirmed", Opportunity.start_date >= today,
               Opportunity.start_date <= today + timedelta(days=1), ~already)
        .options(joinedload(Application.opportunity).joinedload(Opportunity.owner),
                 joinedload(Application.applicant))
        .order_by(Application.id)).unique().all()
    lines = []
    for application in due:
        if not due_once(session, dry_run, STARTS_KIND, application.id, 1):
            continue
        lines.append(f"start reminder for application {application.id} ({application.opportunity.start_date})")
        if not dry_run:
            for party in ("applicant", "host"):
                services.tell(session, application, "participation_starts", party, services.SYSTEM)
    return lines
