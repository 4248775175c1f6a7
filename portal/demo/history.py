"""The past each demo record would have lived through: dates, transitions and their audit events."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy.orm import Session

from portal.models import Application, AuditEvent, Opportunity, User
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


def _moment(rng: random.Random, now: datetime, days_ago: float) -> datetime:
    return now - timedelta(days=days_ago, hours=rng.uniform(0, 5), minutes=rng.randint(0, 59))


def _day(now: datetime, offset: int) -> date:
    return (now + timedelta(days=offset)).astimezone(CANBERRA).date()


def _close_of(day: date) -> datetime:
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
    days = rng.choice([1, 2, 4, 6, 9, 12])
    plan = _submitted(rng, _moment(rng, now, days))
    plan.deadline = _day(now, rng.randint(10, 30))
    plan.start, plan.end = _span(rng, plan.deadline + timedelta(days=rng.randint(7, 14)))
    plan.add("created", "draft", plan.created_at, "creator")
    plan.add("submit", "approval", plan.submitted_at, "creator")
    if days >= 9:
        plan.escalated_at = plan.submitted_at + timedelta(days=9)
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
    deadline = _day(now, rng.choice([-3, 2, 5, 6, 9, 14, 21, 28]))
    return _approved(rng, _moment(rng, now, rng.randint(4, 30)), deadline,
                     deadline + timedelta(days=rng.randint(7, 21)))


def _matched(rng: random.Random, now: datetime) -> OpportunityPlan:
    deadline = _day(now, -rng.randint(4, 15))
    plan = _approved(rng, _moment(rng, now, rng.randint(30, 50)), deadline,
                     max(_day(now, rng.randint(-5, 10)), deadline + timedelta(days=2)))
    plan.closed_at = _close_of(deadline) + timedelta(days=rng.randint(1, 2))
    plan.add("match", "matched", plan.closed_at, "owner")
    return plan


def _completed(rng: random.Random, now: datetime) -> OpportunityPlan:
    end = _day(now, -rng.randint(3, 40))
    start = end - timedelta(weeks=rng.choice([2, 4, 6, 8]), days=-1)
    deadline = start - timedelta(days=rng.randint(7, 14))
    plan = _approved(rng, _close_of(deadline) - timedelta(days=rng.randint(14, 28)), deadline, start)
    plan.end = end
    plan.closed_at = _close_of(deadline) + timedelta(days=rng.randint(1, 3))
    plan.add("match", "matched", plan.closed_at, "owner")
    plan.add("complete", "completed", min(_close_of(end) + timedelta(days=rng.randint(1, 5)), now), "owner")
    return plan


def _expired(rng: random.Random, now: datetime) -> OpportunityPlan:
    deadline = _day(now, -rng.randint(16, 40))
    plan = _approved(rng, _close_of(deadline) - timedelta(days=rng.randint(14, 30)), deadline,
                     deadline + timedelta(days=10))
    plan.closed_at = _close_of(deadline) + timedelta(days=15)
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


# Each application's path to its present state, and who takes each step.
PATHS = {
    "applied": ("apply",),
    "shortlisted": ("apply", "shortlist"),
    "selected": ("apply", "shortlist", "select"),
    "manager_approval": ("apply", "shortlist", "select", "request_manager_approval"),
    "confirmed": ("apply", "shortlist", "select", "request_manager_approval", "approve"),
    "completed": ("apply", "shortlist", "select", "request_manager_approval", "approve", "complete"),
    "withdrawn": ("apply", "shortlist", "withdraw"),
    "not_selected": ("apply", "not_select"),
    "manager_declined": ("apply", "shortlist", "select", "request_manager_approval", "decline"),
    "lapsed": ("apply", "shortlist", "select", "request_manager_approval", "lapse"),
    "cancelled": ("apply", "cancel"),
}
STEPS = {  # action: (state reached, who acts, typical days after the step before)
    "apply": ("applied", "applicant", 0), "shortlist": ("shortlisted", "owner", 3),
    "select": ("selected", "owner", 2), "request_manager_approval": ("manager_approval", "system", 0.01),
    "approve": ("confirmed", "home_manager", 2), "decline": ("manager_declined", "home_manager", 3),
    "lapse": ("lapsed", "system", 14), "withdraw": ("withdrawn", "applicant", 4),
    "not_select": ("not_selected", "owner", 5), "complete": ("completed", "owner", 0),
    "cancel": ("cancelled", "owner", 0),
}
REASONS = {
    "decline": "We are short-staffed over the next quarter; please ask again in the new year.",
    "withdraw": "My priorities at work have changed and I can no longer commit the time.",
    "not_select": "Thank you for applying. We had many strong applicants and chose people with closer experience.",
}
OCCUPYING = {"selected", "manager_approval", "confirmed"}
OPEN_MIX = ("applied", "applied", "applied", "shortlisted", "shortlisted", "selected", "manager_approval",
            "confirmed", "withdrawn", "not_selected", "manager_declined", "lapsed")
SHOWCASE = ("applied", "shortlisted", "selected", "manager_approval", "confirmed", "withdrawn",
            "not_selected", "manager_declined", "lapsed")
STATEMENTS = (
    "I'd like to bring my experience to \"{title}\". In my current role ({job}) I use {skill} every week "
    "and would enjoy applying it with a new team.",
    "\"{title}\" lines up closely with my work as {job}. I'm keen to build my {skill} skills and "
    "share what I learn back in my agency.",
    "I've been looking for a chance like this for a while. I can offer {skill}, a steady pair of hands and "
    "the perspective of someone working as {job}.",
)


class ApplicationPlanner:
    """Spreads applicants over opportunities so every application state appears at least once."""

    def __init__(self, session: Session, rng: random.Random, history: History, now: datetime) -> None:
        self.session, self.rng, self.history, self.now = session, rng, history, now

    def run(self, opportunities: list[tuple[Opportunity, OpportunityPlan]], applicants: list[User],
            featured: dict[int, str]) -> None:
        """`featured` (user id: state) puts the demo logins into the showcase opportunity in those states."""
        open_ones = sorted((pair for pair in opportunities if pair[0].state == "open"
                            and not pair[0].restricted_to_agency), key=lambda pair: pair[1].approved_at)
        showcase = open_ones[0][0] if open_ones else None
        if showcase is not None:
            showcase.positions = max(showcase.positions, 3)
        for opportunity, plan in opportunities:
            states = list(SHOWCASE) if opportunity is showcase else self.states_for(opportunity, plan)
            eligible = [u for u in applicants if u.id not in {opportunity.owner_id, opportunity.creator_id}
                        and (not opportunity.restricted_to_agency or u.agency_id == opportunity.host_agency_id)]
            if opportunity is showcase:
                for applicant in [u for u in eligible if featured.get(u.id) in states]:
                    states.remove(featured[applicant.id])
                    eligible.remove(applicant)
                    self.add(opportunity, plan, applicant, featured[applicant.id])
            for applicant, state in zip(self.rng.sample(eligible, min(len(states), len(eligible))), states):
                self.add(opportunity, plan, applicant, state)

    def states_for(self, opportunity: Opportunity, plan: OpportunityPlan) -> list[str]:
        rng, positions = self.rng, opportunity.positions
        state = opportunity.state
        if state == "cancelled":
            was_live = any(e.to_state == "open" for e in plan.events)
            return ["cancelled"] * rng.randint(1, 3) + ["withdrawn"] * rng.randint(0, 1) if was_live else []
        if state in {"matched", "completed"}:
            done = "confirmed" if state == "matched" else "completed"
            return [done] * positions + [rng.choice(["not_selected", "withdrawn", "manager_declined"])
                                         for _ in range(rng.randint(0, 3))]
        if state == "expired":
            return [rng.choice(["not_selected", "withdrawn"]) for _ in range(rng.randint(1, 3))]
        if state != "open":
            return []
        chosen, occupied = [], 0
        for candidate in rng.sample(OPEN_MIX, rng.randint(0, 6)):
            if candidate in OCCUPYING:
                if occupied >= positions - (1 if candidate == "confirmed" else 0) or occupied >= positions:
                    continue
                occupied += 1
            chosen.append(candidate)
        return chosen

    def add(self, opportunity: Opportunity, plan: OpportunityPlan, applicant: User, state: str) -> None:
        path = PATHS[state]
        when = self.times(plan, path)
        shared = [s.name for s in applicant.skills if s in opportunity.skills] or [s.name for s in applicant.skills]
        application = Application(
            opportunity=opportunity, applicant=applicant, state=state, version=len(path),
            statement=self.rng.choice(STATEMENTS).format(job=applicant.job_title or "an APS employee",
                                                         title=opportunity.title, skill=shared[0].lower()),
            relevant_skills=", ".join(shared), availability=self.rng.choice(
                ["Tuesdays and Thursdays", "Any weekday afternoon", "Mornings, flexible", "One day a week"]),
            home_manager_name=applicant.supervisor_name or "", home_manager_email=applicant.supervisor_email or "",
            created_at=when["apply"], updated_at=when[path[-1]],
            manager_requested_at=when.get("request_manager_approval"),
            manager_decided_at=when.get("approve") or when.get("decline"),
            manager_comment=REASONS.get("decline") if state == "manager_declined" else None,
            owner_message=REASONS["not_select"] if state == "not_selected" else None,
            decided_at=when.get("select") or when.get("not_select"), completed_at=when.get("complete"))
        self.session.add(application)
        self.session.flush()
        owner = opportunity.owner
        actors = {"applicant": (applicant.id, applicant.email), "owner": (owner.id, owner.email),
                  "system": (None, "system"),
                  "home_manager": self.history.actor(application.home_manager_name, application.home_manager_email,
                                                     "home manager")}
        previous = None
        for action in path:
            target, who, _ = STEPS[action]
            actor = actors[who]
            self.history.write("application", application.id,
                               Event(action, previous, target, when[action], who, REASONS.get(action)), actor)
            previous = target

    def times(self, plan: OpportunityPlan, path: tuple[str, ...]) -> dict[str, datetime]:
        """When each step happened: inside the window the opportunity was taking people, in order."""
        fixed = {e.action: e.at for e in plan.events if e.action in {"complete", "cancel"}}
        limit = plan.closed_at or self.now
        if "cancel" in fixed:
            limit = fixed["cancel"]
        start = plan.approved_at or plan.created_at
        latest_apply = min(limit, _close_of(plan.deadline) if plan.deadline else limit, self.now)
        first = start + (latest_apply - start) * self.rng.uniform(0.05, 0.4)
        moving = [a for a in path[1:] if a not in fixed]
        gaps = [timedelta(days=STEPS[a][2] * self.rng.uniform(0.6, 1.4)) for a in moving]
        room = min(limit, self.now) - first
        total = sum(gaps, timedelta(0))
        if total > room:
            gaps = [g * (room / total) * 0.95 for g in gaps]
        when, at = {"apply": first}, first
        for action, gap in zip(moving, gaps):
            at += gap
            when[action] = at
        for action in path[1:]:
            if action in fixed:
                when[action] = fixed[action] + timedelta(seconds=1)
        return when
