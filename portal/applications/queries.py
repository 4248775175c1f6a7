"""Read side: the tracker, the owner's review list and the home manager's queue, each in a fixed
number of queries whatever the number of rows."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.models import Application, Arrangement, AuditEvent, Certificate, DateChange, Opportunity
from workflows.application import next_step


@dataclass
class Tracked:
    """One application as its people see it: where it is, what comes next, whom it waits on."""

    application: Application
    next_step: str
    waiting_on: str | None
    timeline: list = field(default_factory=list)  # rows: created_at, to_state, reason
    arrangement: Arrangement | None = None
    certificate: bool = False  # whether a completion certificate was issued


ACKNOWLEDGING = {"participant": "You, to acknowledge the arrangement", "home_manager": "{name} (home manager)",
                 "host_manager": "{name} (host manager)"}
ACKNOWLEDGING_ORDER = ("participant", "home_manager", "host_manager")


def waiting_on(application: Application, arrangement: Arrangement | None = None) -> tuple[str, str | None]:
    """The next step in words and who it waits on. A confirmed participation whose latest arrangement is not yet
    acknowledged by everyone waits on those who have not, the participant themselves first."""
    step, party = next_step(application.state)
    owed = sorted((a for a in (arrangement.acknowledgements if arrangement else []) if a.acknowledged_at is None),
                  key=lambda a: ACKNOWLEDGING_ORDER.index(a.party))
    if application.state == "confirmed" and owed:
        return ("Everyone acknowledges the arrangement; then the work goes ahead.",
                "; ".join(ACKNOWLEDGING[a.party].format(name=a.name) for a in owed))
    names = {"host": application.opportunity.owner.name if party else None,
             "home_manager": f"{application.home_manager_name} (home manager)"}
    return step, names.get(party) if party else None


def track(session: Session, applications: list[Application]) -> list[Tracked]:
    """Timeline, latest arrangement and whether there is a certificate, for many applications: four statements
    in all (the timeline and certificates as rows, not objects)."""
    ids = [a.id for a in applications]
    events: dict[int, list] = {}
    for event in session.execute(select(AuditEvent.record_id, AuditEvent.created_at, AuditEvent.to_state,
                                        AuditEvent.reason).where(
            AuditEvent.record_type == "application", AuditEvent.record_id.in_(ids))
            .order_by(AuditEvent.created_at, AuditEvent.id)):
        events.setdefault(event.record_id, []).append(event)
    latest = (select(Arrangement.application_id, func.max(Arrangement.version).label("version"))
              .where(Arrangement.application_id.in_(ids)).group_by(Arrangement.application_id).subquery())
    arrangements = {a.application_id: a for a in session.scalars(
        select(Arrangement).join(latest, (Arrangement.application_id == latest.c.application_id)
                                 & (Arrangement.version == latest.c.version))
        .options(selectinload(Arrangement.acknowledgements)))}
    certificates = set(session.scalars(select(Certificate.application_id).where(Certificate.application_id.in_(ids))))
    tracked = []
    for application in applications:
        step, who = waiting_on(application, arrangements.get(application.id))
        tracked.append(Tracked(application, step, who, events.get(application.id, []),
                               arrangements.get(application.id), application.id in certificates))
    return tracked


def my_applications(session: Session, user_id: int) -> list[Tracked]:
    applications = list(session.scalars(select(Application).where(Application.applicant_id == user_id)
                                        .options(joinedload(Application.opportunity).joinedload(Opportunity.owner))
                                        .order_by(Application.created_at.desc(), Application.id.desc())))
    return track(session, applications)


def manager_queue(session: Session, email: str) -> list[Tracked]:
    """Applications waiting on this person as home manager (for the Approvals page)."""
    applications = list(session.scalars(select(Application).where(
        Application.state == "manager_approval", func.lower(Application.home_manager_email) == email.lower())
        .options(joinedload(Application.opportunity).joinedload(Opportunity.owner), joinedload(Application.applicant))
        .order_by(Application.manager_requested_at)))
    return [Tracked(a, *waiting_on(a)) for a in applications]


def pending_date_changes(session: Session, application_ids: list[int]) -> dict[int, DateChange]:
    """The date change waiting on the home manager for each of these participations (one query): the tracker and the
    review list show it; participation.date_changes makes and decides them."""
    if not application_ids:
        return {}
    return {c.application_id: c for c in session.scalars(select(DateChange).join(DateChange.application).where(
        DateChange.application_id.in_(application_ids), DateChange.state == "pending",
        Application.state == "confirmed"))}
