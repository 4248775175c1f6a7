"""Reminders while a participation runs: missing arrangement acknowledgements, the day before it starts, and
marking it complete once it has ended. All set-based sweeps.

"N working days after" is `workflows.calendar.waited_since(N)`, the one working-day calendar. Each reminder is
claimed once in reminders_sent (`portal.sweeps.claim`), so two runs at once, or a run by hand while beat runs,
send it once.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload

from portal.applications import services
from portal.models import Acknowledgement, Application, Arrangement, Opportunity, ReminderSent
from portal.participation.paperwork import owed_acknowledgements, send_for_acknowledgement
from portal.sweeps import due_once, sweep
from workflows import clock
from workflows.calendar import waited_since

ACKNOWLEDGEMENT_KIND = "arrangement-acknowledgement-reminder"
COMPLETION_KIND = "completion-reminder"
ACKNOWLEDGEMENT_REMINDER_DAYS = 3
COMPLETION_REMINDER_DAYS = 7


@sweep("arrangement-acknowledgement-reminders")
def remind_missing_acknowledgements(session: Session, dry_run: bool) -> list[str]:
    """Parties who have not acknowledged the latest arrangement after 3 working days get it again, once."""
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
