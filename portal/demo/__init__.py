"""Realistic demo data for the embedded default: people, opportunities and applications in every state.

Records are written directly with the audit trail their history would have left, because the demo
has to show states (completed, lapsed…) that only time and other people can reach. Deterministic:
the same random seed gives the same data, with dates relative to today in Canberra, in working days wherever a
sweep counts them (history.py), so the first sweeps after `make run` lapse, expire and escalate nothing.
Arrangements and certificates are rendered by the outbox jobs real participations queue (paperwork.py).
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.passwords import hash_password
from portal.demo import paperwork
from portal.demo.applications import ApplicationPlanner
from portal.demo.briefs import FIRST_BRIEFS, Brief
from portal.demo.history import History, OpportunityPlan, plan_opportunity
from portal.demo.more_briefs import MORE_BRIEFS
from portal.demo.questions import seed_questions
from portal.demo.people import EXECUTIVES, FEATURED, LOGINS, PARTICIPATIONS, PEOPLE, Person
from portal.models import Agency, Application, AuditEvent, Opportunity, Skill, User
from portal.opportunities.services import refresh_derived
from workflows import clock

DEMO_PASSWORD = "demo password 2026"
BRIEFS = FIRST_BRIEFS + MORE_BRIEFS
SEED = 2026

# How many opportunities end in each state (60 or so in all).
OPPORTUNITY_STATES = {"draft": 8, "approval": 7, "open": 21, "matched": 8, "completed": 7,
                      "cancelled": 4, "expired": 3, "rejected": 3}

GAINS = (
    "Experience on a live government service and a referee outside your agency.",
    "A chance to try a different discipline with experienced people beside you.",
    "New contacts across the APS and a story for your next application.",
    "Hands-on practice with tools and methods your home team can reuse.",
    "Recognition through a completion certificate and endorsed skills on your profile.",
)
ABOUT_TEAM = ("We are a small, friendly multidisciplinary team that works in the open and likes to "
              "share what we learn. We meet on Teams most mornings and write things down.")


def seed(session: Session) -> list[tuple[str, str]]:
    """Load the demo into an empty database; returns (role description, e-mail) logins to print."""
    rng = random.Random(SEED)
    now = clock.utcnow()
    agencies = {a.abbreviation: a for a in session.scalars(
        select(Agency).where(Agency.abbreviation.in_({p.agency for p in PEOPLE})))}
    skills = {s.name: s for s in session.scalars(select(Skill))}
    people = _people(session, agencies, skills, now)
    history = History(session)
    history.know(list(people.values()))

    states = [state for state, count in OPPORTUNITY_STATES.items() for _ in range(count)]
    states += ["open"] * (len(BRIEFS) - len(states))
    rng.shuffle(states)
    opportunities = [_opportunity(session, rng, brief, state, people, skills, history, now)
                     for brief, state in zip(BRIEFS, states)]
    applicants = [people[p.key] for p in PEOPLE if p.verified and not p.contractor and not p.site_admin]
    featured = {people[key].id: state for key, state in FEATURED.items()}
    participations = {people[key].id: state for key, state in PARTICIPATIONS.items()}
    ApplicationPlanner(session, rng, history, now).run(opportunities, applicants, featured, participations)
    session.flush()
    seed_questions(session, [o for o, _ in opportunities], [people["marcus"], people["grace"]],
                   [people["daniel"], people["aisha"]], now)
    paperwork.queue_jobs(session, session.scalars(select(Application).where(
        Application.state.in_(("confirmed", "completed"))).order_by(Application.id)))
    return [(role, people[key].email) for role, key in LOGINS]


def finish(database) -> None:
    """After `seed` has committed: the queued paperwork carried out, then what people did since."""
    paperwork.carry_out_jobs(database)
    with database.transaction() as session:
        email_of = {p.key: p.email for p in PEOPLE}
        featured = paperwork.featured_participations(
            session, {email_of[key]: state for key, state in PARTICIPATIONS.items()})
        paperwork.what_happened_since(session, random.Random(SEED), featured)


def loaded_logins(session: Session) -> list[tuple[str, str]]:
    """The demo logins again when an earlier `seed` put them there (so `make run` can reprint them)."""
    email_of = {p.key: p.email for p in PEOPLE}
    logins = [(role, email_of[key]) for role, key in LOGINS]
    found = set(session.scalars(select(User.email).where(User.email.in_([email for _, email in logins]))))
    return logins if len(found) == len(logins) else []


def _people(session: Session, agencies: dict[str, Agency], skills: dict[str, Skill],
            now: datetime) -> dict[str, User]:
    password_hash = hash_password(DEMO_PASSWORD)
    by_key = {p.key: p for p in PEOPLE}
    users: dict[str, User] = {}
    for index, person in enumerate(PEOPLE):
        joined = now - timedelta(days=200 - index * 5)
        supervisor = _supervisor(person, by_key)
        users[person.key] = User(
            name=person.name, email=person.email, password_hash=password_hash, agency=agencies[person.agency],
            job_title=person.job_title, location=person.location, is_contractor=person.contractor,
            supervisor_name=supervisor[0], supervisor_email=supervisor[1], bio=person.bio or None,
            is_site_admin=person.site_admin, skills=[skills[name] for name in person.skills],
            admin_of=[agencies[a] for a in person.admin_of],
            verified_at=joined + timedelta(minutes=12) if person.verified else None,
            created_at=joined, updated_at=joined)
    session.add_all(users.values())
    session.flush()
    for person in PEOPLE:
        user = users[person.key]
        session.add(AuditEvent(record_type="user", record_id=user.id, action="registered", actor_id=user.id,
                               actor_label=user.email, created_at=user.created_at))
        if user.verified_at:
            session.add(AuditEvent(record_type="user", record_id=user.id, action="verified", actor_id=user.id,
                                   actor_label=user.email, created_at=user.verified_at))
    return users


def _supervisor(person: Person, by_key: dict[str, Person]) -> tuple[str, str]:
    if person.supervisor:
        boss = by_key[person.supervisor]
        return boss.name, boss.email
    return EXECUTIVES[person.agency]


def _opportunity(session: Session, rng: random.Random, brief: Brief, state: str, people: dict[str, User],
                 skills: dict[str, Skill], history: History, now: datetime) -> tuple[Opportunity, OpportunityPlan]:
    owner = people[brief.owner]
    creator = people[brief.creator] if brief.creator else owner
    plan: OpportunityPlan = plan_opportunity(rng, state, now)
    kind, amount = _commitment(rng, brief.kind)
    work_mode = rng.choices(["remote", "hybrid", "in_person"], weights=[7, 2, 1])[0]
    city, australian_state = _city(owner.location)
    positions = 8 if brief.kind == "testing" and rng.random() < 0.4 else rng.choice([1, 1, 1, 2, 2, 3])
    opportunity = Opportunity(
        state=state, title=brief.title, summary=brief.summary,
        what_you_do="\n".join(f"- {task[0].upper()}{task[1:]}" for task in brief.tasks),
        what_you_gain=rng.choice(GAINS), about_team=f"{brief.team}, {owner.agency.name}. {ABOUT_TEAM}",
        kind=brief.kind, host_agency=owner.agency, team=brief.team,
        location_state=australian_state if work_mode != "remote" else None,
        location_city=city if work_mode != "remote" else None,
        host_address=f"Level {rng.randint(2, 9)}, {city}" if work_mode == "in_person" else None,
        work_mode=work_mode, commitment_kind=kind, commitment_amount=amount,
        start_date=plan.start, end_date=plan.end, deadline=plan.deadline, positions=positions,
        clearance=_clearance(rng, brief), restricted_to_agency=rng.random() < 0.12,
        accepting_applications=state == "open" and rng.random() > 0.05,
        contact_name=owner.name, contact_email=owner.email, creator=creator, owner=owner,
        approving_manager_name=owner.name if brief.creator else owner.supervisor_name,
        approving_manager_email=owner.email if brief.creator else owner.supervisor_email,
        submitted_at=plan.submitted_at, approved_at=plan.approved_at, escalated_at=plan.escalated_at,
        closed_at=plan.closed_at, skills=[skills[name] for name in brief.skills],
        created_at=plan.created_at, updated_at=plan.events[-1].at if plan.events else plan.created_at,
    )
    refresh_derived(opportunity, owner.agency)  # search text and commitment band, as a saved form does
    session.add(opportunity)
    session.flush()
    history.opportunity(opportunity, plan, creator)
    return opportunity, plan


def _commitment(rng: random.Random, kind: str) -> tuple[str, int]:
    if kind in {"testing", "mentoring"}:
        return "total_hours", rng.choice([2, 4, 6, 8, 12])
    if kind == "working_group":
        return "hours_per_week", rng.choice([1, 2, 3])
    return rng.choices([("hours_per_week", rng.choice([4, 7, 8, 15])), ("percent", rng.choice([10, 20, 40])),
                        ("total_hours", rng.choice([20, 40, 60]))], weights=[5, 3, 2])[0]


def _clearance(rng: random.Random, brief: Brief) -> str:
    if brief.owner == "fatima":
        return rng.choice(["baseline", "nv1", "nv1", "nv2"])
    return rng.choices(["none", "baseline"], weights=[4, 1])[0]


def _city(location: str | None) -> tuple[str, str]:
    city, _, state = (location or "Canberra ACT").rpartition(" ")
    return city, state
