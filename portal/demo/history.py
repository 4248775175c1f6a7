"""The past each demo record would have lived through: dates, transitions, reminders and their audit events.

Whatever a sweep looks at is dated in working days on the sweeps' own calendar (`workflows.calendar`), so the
first sweeps after `make run` find nothing overdue: approvals wait fewer working days than the first reminder
(or were escalated, with the reminders before it recorded as sent), deadlines are not inside the closing-soon
window, and the reminders a passed deadline would already have sent are recorded too.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from flask import current_app
from sqlalchemy.orm import Session

from portal.models import AuditEvent, Opportunity, ReminderSent, User
from portal.opportunities.sweeps import CLOSING_SOON, DEADLINE_PASSED, REMINDER, approval_reminder_step
from workflows.calendar import working_days_ago
from workflows.clock import CANBERRA


@dataclass(frozen=True)
class Event:
    action: str
    from_state: str | None
    to_state: str
    at: datetime
    actor: str  # creator, owner, approver, system
    reason: str | None = None


@dataclass
class OpportunityPlan:
    created_at: datetime
    deadline: date | None
    start: date | None
    end: date | None
    submitted_at: datetime | None = None
    approved_at: datetime | None = None
    escalated_at: datetime | None = None
    closed_at: datetime | None = None
    events: list[Event] = field(default_factory=list)
    reminded: list[tuple[str, int, datetime]] = field(default_factory=list)  # (kind, n, when) already sent

    def add(self, action: str, to_state: str, at: datetime, actor: str, reason: str | None = None) -> None:
        from_state = self.events[-1].to_state if self.events else None
        self.events.append(Event(action, from_state, to_state, at, actor, reason))


CHANGES_REQUESTED = "Please make the time commitment clearer and add what the participant will learn."
REJECTED = ("This work needs to be done by the team's own staff under its current contract.",
            "The opportunity repeats one already open in our agency; please join that one instead.",
            "It asks for a security clearance the role does not need; please rethink and post again.")
CANCELLED = ("The project has been paused while funding is confirmed.",
             "Priorities changed after the budget; we will post again next quarter.",
             "The team found the skills it needed internally.")


def plan_opportunity(rng: random.Random, state: str, now: datetime) -> OpportunityPlan:
    """Dates and history that make sense for an opportunity now in `state`."""
    if state == "cancelled":
        plan = plan_opportunity(rng, rng.choice(["draft", "approval", "open", "open", "matched"]), now)
        cancelled_at = plan.events[-1].at + (now - plan.events[-1].at) * rng.uniform(0.2, 0.8)
        plan.add("cancel", "cancelled", cancelled_at, "owner", rng.choice(CANCELLED))
        plan.closed_at = cancelled_at
        return plan
    build = _BUILDERS[state]
    return build(rng, now)


def _settings():
    return current_app.config["SETTINGS"]


def working_day(offset: int) -> date:
    """`offset` working days after today (before it when negative), on the calendar the sweeps count with."""
    return working_days_ago(-offset)


def during(rng: random.Random, day: date, now: datetime) -> datetime:
    """A moment in office hours on `day` in Canberra, never later than a few minutes ago."""
    at = datetime.combine(day, time(9), tzinfo=CANBERRA) + timedelta(minutes=rng.randint(0, 7 * 60))
    return min(at.astimezone(timezone.utc), now - timedelta(minutes=rng.randint(5, 50)))


def _moment(rng: random.Random, now: datetime, days_ago: float) -> datetime:
    return now - timedelta(days=days_ago, hours=rng.uniform(0, 5), minutes=rng.randint(0, 59))


def _day(now: datetime, offset: int) -> date:
    return (now + timedelta(days=offset)).astimezone(CANBERRA).date()


def close_of(day: date) -> datetime:
    return datetime.combine(day, time(17, 0), tzinfo=CANBERRA).astimezone(timezone.utc)


def _span(rng: random.Random, start: date) -> tuple[date, date]:
    return start, start + timedelta(weeks=rng.choice([2, 4, 6, 8, 12, 16]), days=-1)


def _submitted(rng: random.Random, plan_from: datetime) -> OpportunityPlan:
    created = plan_from - timedelta(days=rng.randint(1, 8), hours=rng.randint(1, 6))
    return OpportunityPlan(created_at=created, deadline=None, start=None, end=None, submitted_at=plan_from)


def _draft(rng: random.Random, now: datetime) -> OpportunityPlan:
    created = _moment(rng, now, rng.randint(3, 20))
    deadline = _day(now, rng.randint(14, 40)) if rng.random() > 0.25 else None
    start, end = _span(rng, deadline + timedelta(days=rng.randint(7, 21))) if deadline else (None, None)
    plan = OpportunityPlan(created_at=created, deadline=deadline, start=start, end=end)
    plan.add("created", "draft", created, "creator")
    if deadline and rng.random() < 0.3:
        plan.submitted_at = created + timedelta(days=1)
        plan.add("submit", "approval", plan.submitted_at, "creator")
        plan.add("request_changes", "draft", created + timedelta(days=2), "approver", CHANGES_REQUESTED)
    return plan


def _approval(rng: random.Random, now: datetime) -> OpportunityPlan:
    """Waiting fewer working days than the first reminder, or escalated a day or two ago (reminders sent)."""
    reminders, escalation = _settings().approval_reminder_days, _settings().approval_escalation_days
    age = rng.choice([*range(reminders[0]), *range(reminders[0]), escalation + 1, escalation + 2])
    plan = _submitted(rng, during(rng, working_days_ago(age), now))
    plan.deadline = working_day(rng.randint(10, 25))
    plan.start, plan.end = _span(rng, plan.deadline + timedelta(days=rng.randint(7, 14)))
    plan.add("created", "draft", plan.created_at, "creator")
    plan.add("submit", "approval", plan.submitted_at, "creator")
    if age >= escalation:
        plan.reminded += [(REMINDER, n, during(rng, working_days_ago(age - days), now))
                          for n, days in enumerate(reminders, start=1)]
        plan.escalated_at = during(rng, working_days_ago(age - escalation), now)
        plan.add("escalated", "approval", plan.escalated_at, "system")
    return plan


def _approved(rng: random.Random, approved_at: datetime, deadline: date, start: date) -> OpportunityPlan:
    plan = _submitted(rng, approved_at - timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 5)))
    plan.approved_at, plan.deadline = approved_at, deadline
    plan.start, plan.end = _span(rng, start)
    plan.add("created", "draft", plan.created_at, "creator")
    plan.add("submit", "approval", plan.submitted_at, "creator")
    plan.add("approve", "open", approved_at, "approver")
    return plan


def _open(rng: random.Random, now: datetime) -> OpportunityPlan:
    """Closing beyond the closing-soon window, or closed two working days ago (its owner already told)."""
    deadline = working_day(rng.choice([-2, 4, 5, 7, 10, 15, 20]))
    plan = _approved(rng, _moment(rng, now, rng.randint(6, 30)), deadline,
                     deadline + timedelta(days=rng.randint(7, 21)))
    if deadline < working_day(0):
        warned = deadline - timedelta(days=_settings().closing_soon_days)
        plan.reminded += [(CLOSING_SOON, 1, during(rng, warned, now)),
                          (DEADLINE_PASSED, 1, during(rng, deadline + timedelta(days=1), now))]
    return plan


def _matched(rng: random.Random, now: datetime) -> OpportunityPlan:
    deadline = _day(now, -rng.randint(4, 15))
    start = working_day(rng.choice([-5, -4, -3, -2, 2, 3, 5, 8]))  # never today or tomorrow (start reminders)
    plan = _approved(rng, _moment(rng, now, rng.randint(30, 50)), deadline,
                     max(start, deadline + timedelta(days=2)))
    plan.closed_at = close_of(deadline) + timedelta(days=rng.randint(1, 2))
    plan.add("match", "matched", plan.closed_at, "owner")
    return plan


def _completed(rng: random.Random, now: datetime) -> OpportunityPlan:
    end = _day(now, -rng.randint(3, 40))
    start = end - timedelta(weeks=rng.choice([2, 4, 6, 8]), days=-1)
    deadline = start - timedelta(days=rng.randint(7, 14))
    plan = _approved(rng, close_of(deadline) - timedelta(days=rng.randint(14, 28)), deadline, start)
    plan.end = end
    plan.closed_at = close_of(deadline) + timedelta(days=rng.randint(1, 3))
    plan.add("match", "matched", plan.closed_at, "owner")
    plan.add("complete", "completed", min(close_of(end) + timedelta(days=rng.randint(1, 5)), now), "owner")
    return plan


def _expired(rng: random.Random, now: datetime) -> OpportunityPlan:
    deadline = _day(now, -rng.randint(16, 40))
    plan = _approved(rng, close_of(deadline) - timedelta(days=rng.randint(14, 30)), deadline,
                     deadline + timedelta(days=10))
    plan.closed_at = close_of(deadline) + timedelta(days=15)
    plan.add("expire", "expired", plan.closed_at, "system")
    return plan


def _rejected(rng: random.Random, now: datetime) -> OpportunityPlan:
    plan = _submitted(rng, _moment(rng, now, rng.randint(6, 30)))
    plan.deadline = (plan.submitted_at + timedelta(days=rng.randint(20, 30))).astimezone(CANBERRA).date()
    plan.start, plan.end = _span(rng, plan.deadline + timedelta(days=10))
    plan.closed_at = plan.submitted_at + timedelta(days=rng.randint(1, 4))
    plan.add("created", "draft", plan.created_at, "creator")
    plan.add("submit", "approval", plan.submitted_at, "creator")
    plan.add("reject", "rejected", plan.closed_at, "approver", rng.choice(REJECTED))
    return plan


_BUILDERS = {"draft": _draft, "approval": _approval, "open": _open, "matched": _matched,
             "completed": _completed, "expired": _expired, "rejected": _rejected}


class History:
    """Writes audit events for demo records, attributing each step to the right person."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.users_by_email: dict[str, User] = {}

    def know(self, users: list[User]) -> None:
        self.users_by_email = {u.email: u for u in users}

    def actor(self, name: str | None, email: str | None, role: str) -> tuple[int | None, str]:
        user = self.users_by_email.get((email or "").lower())
        if user is not None:
            return user.id, user.email
        return None, f"{name} <{email}> ({role}, by e-mail link)"

    def write(self, record_type: str, record_id: int, event: Event, actor: tuple[int | None, str]) -> None:
        self.session.add(AuditEvent(record_type=record_type, record_id=record_id, action=event.action,
                                    from_state=event.from_state, to_state=event.to_state, actor_id=actor[0],
                                    actor_label=actor[1], reason=event.reason, created_at=event.at))

    def opportunity(self, opportunity: Opportunity, plan: OpportunityPlan, creator: User) -> None:
        actors = {"creator": (creator.id, creator.email), "owner": (opportunity.owner.id, opportunity.owner.email),
                  "system": (None, "system"),
                  "approver": self.actor(opportunity.approving_manager_name, opportunity.approving_manager_email,
                                         "approving manager")}
        opportunity.version = len(plan.events)
        for event in plan.events:
            self.write("opportunity", opportunity.id, event, actors[event.actor])
        for kind, n, at in plan.reminded:
            step = approval_reminder_step(opportunity.version, n) if kind == REMINDER else n
            self.session.add(ReminderSent(kind=kind, record_id=opportunity.id, step=step, sent_at=at))
