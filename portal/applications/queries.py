"""Read side: the tracker, the owner's review list and the home manager's queue, each in a fixed
number of queries whatever the number of rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import Session, contains_eager, joinedload, lazyload, load_only

from portal.models import Application, Arrangement, AuditEvent, Certificate, DateChange, Opportunity, User
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
    date_change: DateChange | None = None  # new dates waiting for the home manager


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


@cache
def _tracker_statement():
    """Built once with a bound parameter. Each application with the few opportunity and owner columns the tracker
    shows, the new dates waiting for the home manager (at most one, and only on a confirmed participation) and
    whether a certificate was issued."""
    pending = and_(DateChange.application_id == Application.id, DateChange.state == "pending",
                   Application.state == "confirmed")
    certified = select(Certificate.application_id).where(Certificate.application_id == Application.id).exists()
    return (select(Application, DateChange, certified).outerjoin(DateChange, pending)
            .where(Application.applicant_id == bindparam("user_id"))
            .options(joinedload(Application.opportunity).options(
                load_only(Opportunity.title, Opportunity.start_date, Opportunity.end_date, Opportunity.owner_id),
                lazyload(Opportunity.host_agency),
                joinedload(Opportunity.owner).options(load_only(User.name), lazyload(User.agency))))
            .order_by(Application.created_at.desc(), Application.id.desc()))


def my_applications(session: Session, user_id: int) -> list[Tracked]:
    """A person's applications as the tracker shows them, in three statements whatever their number: the
    applications (with their opportunity's title and dates, the owner's name, pending new dates and certificates),
    their timelines as rows, and the latest arrangement of each with its acknowledgements."""
    rows = session.execute(_tracker_statement(), {"user_id": user_id}).all()
    ids = [application.id for application, _, _ in rows]
    events: dict[int, list] = {}
    arrangements: dict[int, Arrangement] = {}
    if ids:
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
            .options(joinedload(Arrangement.acknowledgements))).unique()}
    tracked = []
    for application, change, certified in rows:
        arrangement = arrangements.get(application.id)
        step, who = waiting_on(application, arrangement)
        tracked.append(Tracked(application, step, who, events.get(application.id, []), arrangement, bool(certified),
                               change))
    return tracked


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
        Application.state == "confirmed").options(contains_eager(DateChange.application)))}
