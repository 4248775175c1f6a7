"""Applications on the demo opportunities: every state at least once, each with the steps that led there.

A request waiting on a home manager is younger than the first home-manager reminder, except the featured one
(a demo login's), whose first reminder falls due today: the one reminder the seed means the first sweep to send.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.orm import Session

from portal.demo.history import Event, History, OpportunityPlan, close_of, during
from portal.models import Application, Opportunity, User
from workflows.calendar import working_days_ago

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
            featured: dict[int, str], participations: dict[int, str]) -> dict[int, Application]:
        """`featured` (user id: state) puts the demo logins into the showcase opportunity in those states;
        `participations` (user id: confirmed or completed) gives demo logins one participation each on a matched or
        completed opportunity hosted outside their home manager's team. Returns those participations by user id."""
        open_ones = sorted((pair for pair in opportunities if pair[0].state == "open"
                            and not pair[0].restricted_to_agency), key=lambda pair: pair[1].approved_at)
        showcase = open_ones[0][0] if open_ones else None
        if showcase is not None:
            showcase.positions = max(showcase.positions, 3)
        placed = self.place(opportunities, applicants, participations)
        shown: dict[int, Application] = {}
        for opportunity, plan in opportunities:
            states = list(SHOWCASE) if opportunity is showcase else self.states_for(opportunity, plan)
            eligible = [u for u in applicants if self.may_apply(u, opportunity)]
            chosen = dict(featured) if opportunity is showcase else {}
            chosen.update({user_id: participations[user_id] for user_id, o in placed.items() if o is opportunity})
            for applicant in [u for u in eligible if chosen.get(u.id) in states]:
                states.remove(chosen[applicant.id])
                eligible.remove(applicant)
                shown[applicant.id] = self.add(opportunity, plan, applicant, chosen[applicant.id],
                                               meant_reminder=opportunity is showcase)
            for applicant, state in zip(self.rng.sample(eligible, min(len(states), len(eligible))), states):
                self.add(opportunity, plan, applicant, state)
        return {user_id: shown[user_id] for user_id in placed if user_id in shown}

    @staticmethod
    def may_apply(user: User, opportunity: Opportunity) -> bool:
        return (user.id not in {opportunity.owner_id, opportunity.creator_id}
                and (not opportunity.restricted_to_agency or user.agency_id == opportunity.host_agency_id))

    def place(self, opportunities: list[tuple[Opportunity, OpportunityPlan]], applicants: list[User],
              participations: dict[int, str]) -> dict[int, Opportunity]:
        """The opportunity each featured participation is on: the latest matched one (confirmed) or completed one
        whose owner is not the participant's own home manager."""
        by_id = {u.id: u for u in applicants}
        placed: dict[int, Opportunity] = {}
        for user_id, state in participations.items():
            wanted = "matched" if state == "confirmed" else "completed"
            candidates = [(plan.approved_at, o) for o, plan in opportunities if o.state == wanted
                          and self.may_apply(by_id[user_id], o) and o not in placed.values()
                          and o.owner.email != by_id[user_id].supervisor_email]
            if candidates:
                placed[user_id] = max(candidates, key=lambda pair: pair[0])[1]
        return placed

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

    def add(self, opportunity: Opportunity, plan: OpportunityPlan, applicant: User, state: str,
            meant_reminder: bool = False) -> Application:
        path = PATHS[state]
        when = self.times(plan, path, self.waiting_since(meant_reminder) if state == "manager_approval" else None)
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
        return application

    def waiting_since(self, meant_reminder: bool) -> datetime:
        """When a home manager was asked: fewer working days ago than the first reminder, or (meant) exactly that
        many, so the first sweep sends that reminder and nothing lapses."""
        first = current_app.config["SETTINGS"].approval_reminder_days[0]
        return during(self.rng, working_days_ago(first if meant_reminder else self.rng.randrange(first)), self.now)

    def times(self, plan: OpportunityPlan, path: tuple[str, ...], last: datetime | None) -> dict[str, datetime]:
        """When each step happened: inside the window the opportunity was taking people, in order (the last step
        at `last` when given)."""
        fixed = {e.action: e.at for e in plan.events if e.action in {"complete", "cancel"}}
        if last is not None:
            fixed[path[-1]] = last - timedelta(seconds=1)
        limit = plan.closed_at or self.now
        if "cancel" in fixed:
            limit = fixed["cancel"]
        if last is not None:
            limit = min(limit, last - timedelta(minutes=30))
        start = plan.approved_at or plan.created_at
        latest_apply = min(limit, close_of(plan.deadline) if plan.deadline else limit, self.now)
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
