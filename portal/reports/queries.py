"""Read side of the reports: each figure is one aggregate query (two for the agency and wait figures),
scoped to the viewer's agencies and the chosen dates; Python only shapes the few rows that come back.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, case, exists, extract, func, or_, select
from sqlalchemy.orm import Session, aliased

from portal.models import Agency, Application, AuditEvent, Feedback, Opportunity, Skill, User
from portal.models.opportunities import opportunity_skills
from portal.models.users import user_skills
from portal.reports.scope import Scope

TOP = 10
MIN_GROUP = 5  # no figure is shown about fewer pieces of feedback than this, so nobody can be picked out
FEEDBACK_FROM = {"participant": "Participants", "owner": "Hosts"}  # who gave it: a participant rates the host

# How the eight opportunity states are grouped so the monthly chart stays readable at a glance.
STATE_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("Draft", ("draft",)),
    ("Waiting for approval", ("approval",)),
    ("Open", ("open",)),
    ("Matched", ("matched",)),
    ("Completed", ("completed",)),
    ("Closed without a match", ("cancelled", "expired", "rejected")),
]

# Funnel stages and the application states that show a stage was reached (that stage or a later one).
FUNNEL: list[tuple[str, tuple[str, ...]]] = [
    ("Applied", ()),
    ("Selected", ("selected", "manager_approval", "confirmed", "completed")),
    ("Sent to home manager", ("manager_approval", "confirmed", "completed")),
    ("Confirmed (home manager approved)", ("confirmed", "completed")),
    ("Completed", ("completed",)),
]
PARTICIPATING = FUNNEL[3][1]


@dataclass(frozen=True)
class MonthlyStates:
    months: list  # first day of each month
    counts: dict[str, list[int]]  # state group label -> count per month


@dataclass(frozen=True)
class AgencyCount:
    name: str
    short_name: str
    count: int


@dataclass(frozen=True)
class WaitKind:
    key: str
    label: str
    record_type: str
    waiting_state: str
    outcomes: tuple[str, ...]


@dataclass(frozen=True)
class Wait:
    kind: WaitKind
    decisions: int
    median_days: float | None


@dataclass(frozen=True)
class SkillDemand:
    name: str
    asked: int
    offered: int


WAIT_KINDS = [
    WaitKind("opportunity", "Opportunity approval", "opportunity", "approval", ("open", "draft", "rejected")),
    WaitKind("home_manager", "Home manager approval", "application", "manager_approval",
             ("confirmed", "manager_declined", "lapsed")),
]


def _participation_scope(scope: Scope) -> ColumnElement[bool]:
    """A participation belongs to the applicant's home agency and to the opportunity's host agency."""
    return scope.agency(User.agency_id, Opportunity.host_agency_id)


def _applications(*columns):
    return (select(*columns).select_from(Application)
            .join(Opportunity, Opportunity.id == Application.opportunity_id)
            .join(User, User.id == Application.applicant_id))


def opportunities_by_month(session: Session, scope: Scope) -> MonthlyStates:
    """Opportunities created each month, split by the state they are in now."""
    month = scope.month_index(Opportunity.created_at).label("month")
    rows = session.execute(
        select(month, Opportunity.state, func.count())
        .where(scope.during(Opportunity.created_at), scope.agency(Opportunity.host_agency_id))
        .group_by(month, Opportunity.state))
    months = scope.months()
    group_of = {state: label for label, states in STATE_GROUPS for state in states}
    counts = {label: [0] * len(months) for label, _ in STATE_GROUPS}
    for index, state, count in rows:
        counts[group_of[state]][index] += count
    return MonthlyStates(months, counts)


def reached(states: tuple[str, ...]) -> ColumnElement[bool]:
    """An application reached a stage if its audit history ever moved it into one of `states`, or it sits
    in one now. History, not the current state alone, is what counts: someone selected who later
    withdrew was still selected. The current state covers rows whose history predates the audit trail.
    """
    if not states:
        return Application.id.is_not(None)
    history = exists().where(AuditEvent.record_type == "application", AuditEvent.record_id == Application.id,
                             AuditEvent.to_state.in_(states))
    return or_(Application.state.in_(states), history)


def application_funnel(session: Session, scope: Scope) -> list[tuple[str, int]]:
    """How many applications made in the range reached each stage, in one pass.

    The home manager's approval is the move that confirms a participation (manager_approval → confirmed
    in workflows/application.py), so "approved" and "confirmed" are one stage; asking the home manager
    is shown as its own stage instead, because that is where selected people wait.
    """
    sums = [func.coalesce(func.sum(case((reached(states), 1), else_=0)), 0) for _, states in FUNNEL]
    row = session.execute(_applications(*sums).where(scope.during(Application.created_at),
                                                     _participation_scope(scope))).one()
    return [(label, int(count)) for (label, _), count in zip(FUNNEL, row)]


def participation_by_agency(session: Session, scope: Scope, side: str) -> list[AgencyCount]:
    """Top agencies by confirmed participations, counted by the applicant's home agency or the host agency."""
    agency_id = User.agency_id if side == "home" else Opportunity.host_agency_id
    count = func.count(Application.id)
    rows = session.execute(
        _applications(Agency.name, Agency.abbreviation, count)
        .join(Agency, Agency.id == agency_id)
        .where(scope.during(Application.created_at), _participation_scope(scope), reached(PARTICIPATING))
        .group_by(Agency.id, Agency.name, Agency.abbreviation)
        .order_by(count.desc(), Agency.name).limit(TOP))
    return [AgencyCount(name, abbreviation or name, total) for name, abbreviation, total in rows]


def _wait_durations(session: Session, scope: Scope, kind: WaitKind):
    """Days from entering the waiting state to the decision that ended it, for decisions in the range."""
    decision, entry = aliased(AuditEvent), aliased(AuditEvent)
    entered_at = (select(func.max(entry.created_at))
                  .where(entry.record_type == decision.record_type, entry.record_id == decision.record_id,
                         entry.to_state == kind.waiting_state, entry.created_at <= decision.created_at)
                  .scalar_subquery())
    if session.get_bind().dialect.name == "postgresql":
        days = extract("epoch", decision.created_at - entered_at) / 86400.0
    else:
        days = func.julianday(decision.created_at) - func.julianday(entered_at)
    statement = select(days.label("days")).where(
        decision.record_type == kind.record_type, decision.from_state == kind.waiting_state,
        decision.to_state.in_(kind.outcomes), scope.during(decision.created_at))
    if kind.record_type == "opportunity":
        statement = statement.join(Opportunity, Opportunity.id == decision.record_id).where(
            scope.agency(Opportunity.host_agency_id))
    else:
        statement = (statement.join(Application, Application.id == decision.record_id)
                     .join(Opportunity, Opportunity.id == Application.opportunity_id)
                     .join(User, User.id == Application.applicant_id).where(_participation_scope(scope)))
    return statement.where(entered_at.is_not(None)).subquery()


def approval_waits(session: Session, scope: Scope) -> list[Wait]:
    """Median days each kind of approval waited. PostgreSQL computes the median (percentile_cont); SQLite,
    the embedded single-machine mode, has no percentile function, so it fetches the durations of the
    decisions made in the range (one column, one query) and takes the median here.
    """
    waits = []
    postgres = session.get_bind().dialect.name == "postgresql"
    for kind in WAIT_KINDS:
        durations = _wait_durations(session, scope, kind)
        if postgres:
            count, median = session.execute(
                select(func.count(), func.percentile_cont(0.5).within_group(durations.c.days))).one()
        else:
            values = list(session.scalars(select(durations.c.days)))
            count, median = len(values), (statistics.median(values) if values else None)
        waits.append(Wait(kind, int(count), None if median is None else float(median)))
    return waits


def feedback_groups(scope: Scope) -> Select:
    """Feedback given in the range, counted and averaged (out of 5, one decimal) by host agency, opportunity type and
    side. Groups of fewer than MIN_GROUP are left out by the query itself, so neither the dashboard nor the CSV
    export can show one."""
    given = func.count(Feedback.id)
    return (select(func.coalesce(Agency.name, "No host agency").label("host_agency"), Opportunity.kind,
                   Feedback.author_role, given.label("given"),
                   func.round(func.avg(Feedback.rating), 1).label("average"))
            .select_from(Feedback)
            .join(Application, Application.id == Feedback.application_id)
            .join(Opportunity, Opportunity.id == Application.opportunity_id)
            .join(User, User.id == Application.applicant_id)
            .outerjoin(Agency, Agency.id == Opportunity.host_agency_id)
            .where(scope.during(Feedback.created_at), _participation_scope(scope))
            .group_by(Agency.name, Opportunity.kind, Feedback.author_role)
            .having(given >= MIN_GROUP)
            .order_by(Agency.name, Opportunity.kind, Feedback.author_role))


def skills_demand(session: Session, scope: Scope) -> list[SkillDemand]:
    """Skills asked for by opportunities created in the range against skills offered by people in the
    agencies now (a person's skills have no date), top ten by the two together.
    """
    asked = (select(opportunity_skills.c.skill_id, func.count().label("n"))
             .join(Opportunity, Opportunity.id == opportunity_skills.c.opportunity_id)
             .where(scope.during(Opportunity.created_at), scope.agency(Opportunity.host_agency_id))
             .group_by(opportunity_skills.c.skill_id).subquery())
    offered = (select(user_skills.c.skill_id, func.count().label("n"))
               .join(User, User.id == user_skills.c.user_id)
               .where(User.disabled_at.is_(None), scope.agency(User.agency_id))
               .group_by(user_skills.c.skill_id).subquery())
    asked_n, offered_n = func.coalesce(asked.c.n, 0), func.coalesce(offered.c.n, 0)
    rows = session.execute(
        select(Skill.name, asked_n, offered_n)
        .outerjoin(asked, asked.c.skill_id == Skill.id).outerjoin(offered, offered.c.skill_id == Skill.id)
        .where(or_(asked.c.n.is_not(None), offered.c.n.is_not(None)))
        .order_by((asked_n + offered_n).desc(), asked_n.desc(), Skill.name).limit(TOP))
    return [SkillDemand(name, int(a), int(o)) for name, a, o in rows]


def agency_choices(session: Session, agency_ids: frozenset[int] | None) -> list[tuple[int, str]]:
    statement = select(Agency.id, Agency.name).order_by(Agency.name)
    if agency_ids is not None:
        statement = statement.where(Agency.id.in_(sorted(agency_ids)))
    else:
        statement = statement.where(and_(Agency.active.is_(True), Agency.merged_into_id.is_(None)))
    return [(agency_id, name) for agency_id, name in session.execute(statement)]
