"""Load a realistic portal into PostgreSQL with COPY, for the search, page and sweep benchmarks.

    .venv/bin/python -m bench.generate --database-url postgresql+psycopg://postgres@127.0.0.1:5432/oneaps_bench_scale \
        --create [--scale 1]

At scale 1: 200,000 people across the agencies (3 % contractors, each employee with a supervisor who
is their home manager), 100,000 opportunities in every state with dates that fit the state, 1,000,000
applications in states that fit their opportunity's (one per person per opportunity), arrangements,
acknowledgements and certificates for confirmed and completed participations, and the audit history.
Reminders already sent are recorded as a daily sweep run yesterday would have left them, so about one
day's worth of each reminder, lapse, expiry and digest is due today. Everyone shares one precomputed
password hash. Three accounts for the page benchmarks (ACCOUNTS): a viewer with 20 applications, an
owner whose open opportunity has 200 applicants, and another open opportunity for the detail page;
those counts scale too, so statements per page at two scales show whether a page grows with its rows.
Deterministic for a given --seed and day.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Iterator

import psycopg
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.accounts.passwords import hash_password  # noqa: E402
from portal.migrate import upgrade  # noqa: E402
from portal.models import Agency, Skill, User  # noqa: E402
from portal.opportunities import sweeps as opportunity_sweeps  # noqa: E402
from portal.opportunities.search import Filters  # noqa: E402
from portal.opportunities.services import refresh_derived  # noqa: E402
from portal.reference import load_reference_data  # noqa: E402
from workflows import clock  # noqa: E402
from workflows.calendar import waited_since  # noqa: E402

PASSWORD = "benchmark password 2026"
ACCOUNTS = {"viewer": "bench.viewer@example.gov.au", "owner": "bench.owner@example.gov.au"}
ROLES = ["User researcher", "Service designer", "Data analyst", "Business analyst", "Delivery manager",
         "Content designer", "Policy officer", "Cloud engineer", "Product manager", "Accessibility tester",
         "Data engineer", "Cyber security analyst", "Interaction designer", "Technical writer", "Scrum master"]
PURPOSES = ["for a grants portal", "for a digital identity pilot", "for a payments redesign",
            "on a data sharing agreement", "for a new benefits form", "on a legacy system migration",
            "for an AI ethics review", "for a records digitisation project", "on a service blueprint",
            "for a mobile app beta", "on cross-agency reporting", "for a workforce dashboard"]
VERBS = ["interview", "analyse", "design", "prototype", "test", "document", "map", "migrate", "model", "review"]
THINGS = ["user journeys", "survey data", "APIs", "policy options", "service standards", "dashboards",
          "accessibility issues", "cloud costs", "content", "backlogs", "risk registers", "data pipelines"]
FIRST = ["Alex", "Sam", "Priya", "Wei", "Olivia", "Jack", "Aisha", "Tom", "Mia", "Noah", "Grace", "Liam", "Zoe",
         "Ethan", "Chloe", "Lucas", "Ava", "Hamish", "Ruby", "Kai", "Isla", "Arjun", "Mei", "Finn", "Leila"]
LAST = ["Nguyen", "Smith", "Patel", "Chen", "Brown", "Wilson", "Taylor", "Singh", "Martin", "Kelly", "Walker",
        "Li", "Harris", "Young", "King", "Wright", "Murphy", "Khan", "Scott", "Green", "Baker", "Adams", "Hill"]
# A marketplace years old: most opportunities are finished; about one in twelve is open at any time.
STATES = (["open"] * 8 + ["draft"] * 3 + ["approval"] * 2 + ["matched"] * 5 + ["completed"] * 50 + ["cancelled"] * 7
          + ["expired"] * 20 + ["rejected"] * 5)
KINDS = ["project", "project", "working_group", "testing", "shadowing", "mentoring", "other"]
MODES = ["remote"] * 6 + ["hybrid", "hybrid", "in_person"]
LOCATIONS = ["ACT", "ACT", "NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT"]
CLEARANCES = ["none"] * 6 + ["baseline", "baseline", "nv1", "nv2", "pv"]
# Application states by opportunity state (workflows/application.py). Positions are filled first where
# the opportunity was matched or completed; on an open one a holder past the positions stays shortlisted.
HOLDER = {"matched": "confirmed", "completed": "completed"}
MIX = {"open": {"applied": 50, "shortlisted": 15, "selected": 3, "manager_approval": 6, "confirmed": 4,
                "withdrawn": 8, "not_selected": 8, "manager_declined": 3, "lapsed": 3},
       "matched": {"not_selected": 70, "withdrawn": 15, "manager_declined": 8, "lapsed": 7},
       "completed": {"not_selected": 75, "withdrawn": 15, "manager_declined": 5, "lapsed": 5},
       "cancelled": {"cancelled": 80, "withdrawn": 20},
       "expired": {"not_selected": 60, "withdrawn": 25, "manager_declined": 8, "lapsed": 7}}
HOLDS = {"selected", "manager_approval", "confirmed", "completed"}
ASKED = {"manager_approval", "confirmed", "completed", "manager_declined", "lapsed"}
# Every state's path from applying, for the audit history (written in SQL from the copied rows).
PATHS = {"applied": [], "shortlisted": ["shortlist"], "selected": ["shortlist", "select"],
         "manager_approval": ["shortlist", "select", "request_manager_approval"],
         "confirmed": ["shortlist", "select", "request_manager_approval", "approve"],
         "completed": ["shortlist", "select", "request_manager_approval", "approve", "complete"],
         "manager_declined": ["shortlist", "select", "request_manager_approval", "decline"],
         "lapsed": ["shortlist", "select", "request_manager_approval", "lapse"],
         "not_selected": ["not_select"], "withdrawn": ["withdraw"], "cancelled": ["cancel"]}
OPPORTUNITY_PATHS = {"draft": [], "approval": ["submit"], "open": ["submit", "approve"],
                     "matched": ["submit", "approve", "match"], "completed": ["submit", "approve", "match", "complete"],
                     "cancelled": ["submit", "approve", "cancel"], "expired": ["submit", "approve", "expire"],
                     "rejected": ["submit", "reject"]}
TARGETS = {"shortlist": "shortlisted", "select": "selected", "request_manager_approval": "manager_approval",
           "approve": "confirmed", "complete": "completed", "decline": "manager_declined", "lapse": "lapsed",
           "not_select": "not_selected", "withdraw": "withdrawn", "cancel": "cancelled"}
OPPORTUNITY_TARGETS = {"submit": "approval", "approve": "open", "match": "matched", "complete": "completed",
                       "cancel": "cancelled", "expire": "expired", "reject": "rejected"}
COLUMNS = {
    "users": ("id", "email", "name", "password_hash", "verified_at", "agency_id", "job_title", "is_contractor",
              "supervisor_name", "supervisor_email", "is_site_admin", "disabled_at", "failed_logins",
              "last_login_at", "session_version", "created_at", "updated_at"),
    "user_skills": ("user_id", "skill_id"),
    "agency_admins": ("user_id", "agency_id"),
    "opportunities": (
        "id", "state", "version", "title", "summary", "what_you_do", "what_you_gain", "about_team", "kind",
        "host_agency_id", "team", "location_state", "location_city", "work_mode", "commitment_kind",
        "commitment_amount", "commitment_band", "start_date", "end_date", "deadline", "positions", "clearance",
        "restricted_to_agency", "accepting_applications", "creator_id", "owner_id", "approving_manager_name",
        "approving_manager_email", "submitted_at", "approved_at", "escalated_at", "closed_at", "search_text",
        "created_at", "updated_at"),
    "opportunity_skills": ("opportunity_id", "skill_id"),
    "applications": ("id", "opportunity_id", "applicant_id", "state", "version", "statement", "home_manager_name",
                     "home_manager_email", "manager_requested_at", "manager_decided_at", "decided_at",
                     "completed_at", "created_at", "updated_at"),
    "arrangements": ("id", "application_id", "version", "reference", "start_date", "end_date", "created_at"),
    "acknowledgements": ("id", "arrangement_id", "party", "name", "email", "acknowledged_at"),
    "certificates": ("application_id", "reference", "created_at"),
    "reminders_sent": ("kind", "record_id", "step", "sent_at"),
    "notification_preferences": ("user_id", "category", "mode"),
    "saved_searches": ("user_id", "name", "query", "alert", "new_since", "created_at"),
    "outbox_messages": ("idempotency_key", "template", "category", "recipient", "recipient_name", "context",
                        "attachments", "status", "attempts", "created_at"),
}
DAY = timedelta(days=1)
YEAR = timedelta(days=365)


def create_database(url: str) -> None:
    base, name = url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def copy(cursor: psycopg.Cursor, table: str, rows) -> int:
    """COPY rows (tuples in COLUMNS[table] order) into a table; returns how many."""
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as stream:
        for row in rows:
            stream.write_row(row)
            count += 1
    return count


@contextmanager
def indexes_rebuilt(cursor: psycopg.Cursor, table: str) -> Iterator[None]:
    """Drop a table's plain secondary indexes for a bulk load and build them again after, from their own
    definitions (one sorted build is several times faster than a million inserts into each)."""
    definitions = [row for row in cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = %s AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", (table,))]
    for name, _ in definitions:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    for _, definition in definitions:
        cursor.execute(definition)


class Today:
    """The instants the sweeps compare with, today and as of yesterday's run (sent then = recorded as sent)."""

    def __init__(self) -> None:
        self.now = clock.utcnow()
        self.day = clock.canberra_today()
        self.cutoff = {days: waited_since(days) for days in (3, 6, 7, 10)}
        with clock.moved_by(-DAY):
            self.yesterday = {days: waited_since(days) for days in (3, 6, 7, 10)}

    def at(self, day: date, rng: random.Random) -> datetime:
        return datetime(day.year, day.month, day.day, 9, tzinfo=clock.CANBERRA) + timedelta(minutes=rng.randint(0, 480))


class Population:
    """People: agency sizes skewed like the APS, a supervisor for each team of eight, some contractors."""

    def __init__(self, count: int, first_id: int, agencies: list[Agency], skills: list[int], today: Today,
                 password_hash: str, rng: random.Random, domains: dict[int, str]) -> None:
        self.first_id, self.count = first_id, count
        weights = [rng.paretovariate(1.1) for _ in agencies]
        chosen = rng.choices(agencies, weights, k=count)
        self.agency_of: list[int] = [a.id for a in chosen]
        self.contractor = [rng.random() < 0.03 for _ in range(count)]
        self.names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(count)]
        self.emails = [f"{name.replace(' ', '.').lower()}.{first_id + n}@{domains[chosen[n].id]}"
                       for n, name in enumerate(self.names)]
        self.supervisor: list[int | None] = []
        members: dict[int, list[int]] = {}
        for n, agency_id in enumerate(self.agency_of):
            team = members.setdefault(agency_id, [])
            position = len(team)
            team.append(n)
            lead = team[(position // 8) * 8] if position % 8 else team[(position // 64) * 8]
            self.supervisor.append(None if lead == n else lead)
        self.agency_admins = [(first_id + team[0], agency_id) for agency_id, team in members.items()]
        self.employees = [n for n in range(count) if not self.contractor[n] and self.supervisor[n] is not None]
        self.rows = self._rows(skills, today, password_hash, rng)

    def id(self, n: int) -> int:
        return self.first_id + n

    def manager(self, n: int) -> tuple[str, str]:
        lead = self.supervisor[n]
        return (self.names[lead], self.emails[lead]) if lead is not None else ("Bench Manager", "bench.manager@example.gov.au")

    def _rows(self, skills: list[int], today: Today, password_hash: str, rng: random.Random):
        """User rows now; skill links kept for after. Last sign-in spread over 3.3 years: dormant accounts
        warned or disabled by yesterday's run are recorded so; today's crossings are due."""
        self.skill_links, self.reminders = [], []
        rows = []
        warn_after, disable_after = 3 * YEAR - timedelta(days=30), 3 * YEAR
        for n in range(self.count):
            user_id = self.first_id + n
            seen = today.now - timedelta(seconds=rng.randint(0, int(3.3 * 365 * 86400)))
            created = seen - timedelta(days=rng.randint(0, 900))
            warned_at, disabled = seen + warn_after, None
            if warned_at < today.now - DAY:
                self.reminders.append(("dormant_warning", user_id, 1, warned_at))
                if seen + disable_after < today.now - DAY and warned_at <= today.now - timedelta(days=31):
                    disabled = seen + disable_after
            lead = self.supervisor[n]
            rows.append((user_id, self.emails[n], self.names[n], password_hash, created + timedelta(minutes=10),
                         self.agency_of[n], rng.choice(ROLES), self.contractor[n],
                         self.names[lead] if lead is not None else None, self.emails[lead] if lead is not None else None,
                         False, disabled, 0, seen, 1, created, seen))
            self.skill_links.extend((user_id, s) for s in rng.sample(skills, 2))
        return rows


def accounts(session: Session, password_hash: str) -> dict[str, int]:
    """The people the page benchmarks sign in as (created once, through the ORM)."""
    agency = session.scalar(select(Agency).where(Agency.abbreviation == "DTA"))
    ids = {}
    for role, email in ACCOUNTS.items():
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=f"Bench {role.title()}", password_hash=password_hash, agency=agency,
                        verified_at=clock.utcnow(), supervisor_name="Bench Manager",
                        supervisor_email="bench.manager@example.gov.au")
            session.add(user)
            session.flush()
        ids[role] = user.id
    return ids


def opportunity_rows(count: int, first_id: int, people: Population, owner_id: int, agencies: dict[int, Agency],
                     skills: list[Skill], today: Today, rng: random.Random):
    """(row, skill ids, facts for the applications) per opportunity, dates fitting its state. The first
    two are open and listed: the owner's with many applicants, and the one the detail page shows."""
    for n in range(count):
        state = "open" if n < 2 else rng.choice(STATES)
        owner = rng.choice(people.employees)
        owner_user = owner_id if n == 0 else people.id(owner)
        agency = agencies[people.agency_of[owner]] if n else agencies[rng.choice(list(agencies))]
        chosen = rng.sample(skills, rng.randint(1, 3))
        mode = rng.choice(MODES)
        if state in ("draft", "approval"):
            deadline = today.day + timedelta(days=rng.randint(7, 60))
        elif state == "open":
            past = n >= 2 and rng.random() < 0.2
            deadline = today.day + timedelta(days=-rng.randint(1, 15) if past else rng.randint(1, 60))
        elif state == "matched":
            deadline = today.day - timedelta(days=rng.randint(5, 60))
        else:  # a completed one has ended by now
            deadline = today.day - timedelta(days=rng.randint(240 if state == "completed" else 15, 1400))
        start = deadline + timedelta(days=rng.randint(1, 60 if state == "matched" else 30))
        end = start + timedelta(days=rng.randint(14, 180))
        record = SimpleNamespace(
            title=f"{rng.choice(ROLES)} {rng.choice(PURPOSES)}"[:100],
            summary=f"Help us {rng.choice(VERBS)} {rng.choice(THINGS)} with a small team.",
            what_you_do=" ".join(f"{rng.choice(VERBS).capitalize()} {rng.choice(THINGS)}." for _ in range(4)),
            what_you_gain=f"Experience with {rng.choice(THINGS)} and a cross-agency network.",
            about_team=f"A team of {rng.randint(3, 15)} in {agency.name}.", team="Digital delivery",
            location_city="Canberra" if mode != "remote" else None, skills=chosen,
            commitment_kind=rng.choice(["total_hours", "hours_per_week", "percent"]),
            commitment_amount=rng.choice([2, 4, 8, 10, 20, 40]), start_date=start, end_date=end)
        refresh_derived(record, agency)
        if state == "approval":
            submitted = today.now - timedelta(seconds=rng.randint(0, 12 * 86400))
        else:
            submitted = min(today.at(deadline - timedelta(days=rng.randint(14, 60)), rng),
                            today.now - timedelta(days=rng.randint(3, 30)))
        created = submitted - timedelta(days=rng.randint(0, 10), minutes=rng.randint(0, 600))
        approved = submitted + timedelta(days=rng.randint(1, 3)) if state not in ("draft", "approval", "rejected") else None
        escalated = submitted + DAY if state == "approval" and submitted < today.yesterday[7] else None
        closed = today.at(end + timedelta(days=rng.randint(0, 20)), rng) if state == "completed" else (
            today.at(deadline + timedelta(days=14), rng) if state in ("expired", "cancelled") else None)
        manager = people.manager(owner)
        oid = first_id + n
        positions = 5 if n == 0 else rng.choice([1, 1, 1, 2, 2, 3, 4, 5])
        row = (oid, state, 1, record.title, record.summary, record.what_you_do, record.what_you_gain,
               record.about_team, rng.choice(KINDS), agency.id, record.team,
               rng.choice(LOCATIONS) if mode != "remote" else None, record.location_city, mode,
               record.commitment_kind, record.commitment_amount, record.commitment_band, start, end, deadline,
               positions, rng.choice(CLEARANCES), n >= 2 and rng.random() < 0.1, True, owner_user, owner_user,
               manager[0], manager[1], submitted if state != "draft" else None, approved, escalated, closed,
               record.search_text, created, closed or approved or submitted)
        facts = SimpleNamespace(id=oid, state=state, positions=positions, start=start, end=end, deadline=deadline,
                                opened=approved or created, owner=owner)
        yield row, [s.id for s in chosen], facts


class Applications:
    """Applications with their arrangements, acknowledgements, certificates and sent reminders."""

    def __init__(self, people: Population, today: Today, rng: random.Random) -> None:
        self.people, self.today, self.rng = people, today, rng
        self.next_id = self.arrangement_id = 1
        self.rows, self.arrangements, self.acknowledgements, self.certificates, self.reminders = [], [], [], [], []
        self.statements = [f"I have {rng.randint(1, 15)} years of {rng.choice(THINGS)} work and want to "
                           f"{rng.choice(VERBS)} {rng.choice(THINGS)} {rng.choice(PURPOSES)}." for _ in range(200)]
        self.mixes = {state: (list(mix), list(mix.values())) for state, mix in MIX.items()}

    def add(self, opportunity: SimpleNamespace, applicants: list[int]) -> None:
        rng, today = self.rng, self.today
        states, weights = self.mixes[opportunity.state]
        drawn = rng.choices(states, weights, k=len(applicants))
        holders = 0
        for person, state in zip(applicants, drawn):
            if opportunity.state in HOLDER and holders < opportunity.positions:
                state = HOLDER[opportunity.state]
            if state in HOLDS:
                holders += 1
                if holders > opportunity.positions:
                    state = "shortlisted"
            created = opportunity.opened + timedelta(minutes=rng.randint(60, max(120, int(
                (today.at(opportunity.deadline, rng) - opportunity.opened).total_seconds() // 60))))
            created = min(created, today.now - timedelta(hours=1))
            requested = decided = completed = None
            if state == "manager_approval":
                requested = today.yesterday[10] + (today.now - today.yesterday[10]) * rng.random()
            elif state in ASKED:
                requested = min(created + timedelta(days=rng.randint(1, 10)), today.now - 2 * DAY)
                decided = requested + (today.now - requested) * rng.random() * 0.2
            if state not in ("applied", "withdrawn", "manager_approval"):
                decided = decided or min(created + timedelta(days=rng.randint(1, 20)), today.now)
            if state == "completed":
                completed = today.at(opportunity.end + timedelta(days=rng.randint(0, 14)), rng)
            created = min(created, requested or created)
            name, email = self.people.manager(person)
            application_id = self.next_id
            self.next_id += 1
            self.rows.append((application_id, opportunity.id, self.people.id(person), state, 1,
                              rng.choice(self.statements), name, email, requested, decided, decided, completed,
                              created, completed or decided or requested or created))
            self._reminders(application_id, state, requested, opportunity)
            if state in ("confirmed", "completed"):
                self._paperwork(application_id, opportunity, person, decided, state == "completed")

    def _reminders(self, application_id: int, state: str, requested: datetime | None, opportunity) -> None:
        """What yesterday's sweeps sent: home-manager reminders, completion and start reminders."""
        today = self.today
        if state == "manager_approval":
            for step, days in ((1, 3), (2, 6)):
                if requested < today.yesterday[days]:
                    self.reminders.append(("home-manager-reminder", application_id, step, today.now - DAY))
        elif state == "confirmed":
            if opportunity.end <= today.day - timedelta(days=8):
                self.reminders.append(("completion-reminder", application_id, 1, today.now - DAY))
            if opportunity.start == today.day:
                self.reminders.append(("participation-starts-reminder", application_id, 1, today.now - DAY))

    def _paperwork(self, application_id: int, opportunity, person: int, decided: datetime, completed: bool) -> None:
        rng, today = self.rng, self.today
        arrangement_id = self.arrangement_id
        self.arrangement_id += 1
        self.arrangements.append((arrangement_id, application_id, 1, f"IA-{opportunity.id:05d}-{application_id:06d}",
                                  opportunity.start, opportunity.end, decided))
        parties = (("participant", (self.people.names[person], self.people.emails[person])),
                   ("home_manager", self.people.manager(person)),
                   ("host_manager", (self.people.names[opportunity.owner], self.people.emails[opportunity.owner])))
        for party, (name, email) in parties:
            acknowledged = None if not completed and rng.random() < 0.15 else decided + timedelta(hours=rng.randint(1, 72))
            self.acknowledgements.append((len(self.acknowledgements) + 1, arrangement_id, party, name, email,
                                          acknowledged))
            if acknowledged is None and decided < today.yesterday[3]:
                self.reminders.append(("arrangement-acknowledgement-reminder", len(self.acknowledgements), 1,
                                       today.now - DAY))
        if completed:
            self.certificates.append((application_id, f"CC-{opportunity.id:05d}-{application_id:06d}", decided))


def opportunity_reminders(facts: SimpleNamespace, submitted: datetime | None, today: Today) -> list[tuple]:
    """What yesterday's opportunity sweeps sent: approval reminders and escalation, closing soon, deadline passed."""
    sent = today.now - DAY
    rows = []
    if facts.state == "approval":
        for step, days in ((11, 3), (12, 6)):
            if submitted < today.yesterday[days]:
                rows.append((opportunity_sweeps.REMINDER, facts.id, step, sent))
        if submitted < today.yesterday[7]:
            rows.append((opportunity_sweeps.ESCALATION, facts.id, 1, sent))
    elif facts.state == "open":
        if facts.deadline <= today.day + timedelta(days=2):
            rows.append((opportunity_sweeps.CLOSING_SOON, facts.id, 1, sent))
        if facts.deadline < today.day - DAY:
            rows.append((opportunity_sweeps.DEADLINE_PASSED, facts.id, 1, sent))
    return rows


def applicant_counts(opportunities: list[SimpleNamespace], total: int, featured: int, rng: random.Random) -> list[int]:
    """A long tail (most get a handful, a few get a hundred), adding up to `total`; none before approval."""
    taking = [i for i, o in enumerate(opportunities) if o.state in MIX]
    mean = (total - featured) / max(1, len(taking) - 1)
    counts = [0] * len(opportunities)
    for i in taking:
        counts[i] = min(150, int(rng.expovariate(1 / mean)))
    counts[0] = featured
    difference = total - sum(counts)
    while difference:
        i = rng.choice(taking[1:])
        if difference > 0 or counts[i]:
            counts[i] += 1 if difference > 0 else -1
            difference += -1 if difference > 0 else 1
    return counts


def digest_rows(people: Population, count: int, today: Today, rng: random.Random):
    """People who asked for a daily digest, with the e-mails held for them since yesterday's digest."""
    preferences, messages = [], []
    for person in rng.sample(people.employees, count):
        preferences.append((people.id(person), "my_applications", "digest"))
        for k in range(rng.randint(1, 3)):
            title = f"{rng.choice(ROLES)} {rng.choice(PURPOSES)}"
            context = ('{"opportunity_title": "%s", "host_name": "Host", "home_manager_name": "Manager", '
                       '"tracker_url": "http://127.0.0.1/applications", "link": "http://127.0.0.1/applications"}' % title)
            messages.append((f"bench-held:{person}:{k}", "application_received", "my_applications",
                             people.emails[person], people.names[person], context, "[]", "held", 0,
                             today.now - timedelta(minutes=rng.randint(1, 1400))))
    return preferences, messages


SEARCH_WORDS = ["", "", "", "data", "user research", "policy", "cloud", "design", "accessibility", "dashboards",
                "\"service design\"", "testing -internship", "content", "migration", "AI ethics"]


def alert_rows(people: Population, count: int, skills: list[int], today: Today, rng: random.Random):
    """Saved searches (one to three each, most with the e-mail alert on) for `count` people, and as many
    people again opted in to skill matches; both last alerted yesterday, so today's approvals are new."""
    searches, skill_alerts = [], []
    yesterday = today.now - DAY
    for person in rng.sample(people.employees, min(2 * count, len(people.employees))):
        if len(skill_alerts) < count:
            skill_alerts.append(people.id(person))
            continue
        for k in range(rng.randint(1, 3)):
            filters = Filters(q=rng.choice(SEARCH_WORDS),
                              kind=tuple(rng.sample(KINDS[1:], rng.choice([0, 0, 1, 2]))),
                              mode=tuple(rng.sample(["remote", "hybrid", "in_person"], rng.choice([0, 0, 1]))),
                              location=tuple(rng.sample(LOCATIONS[1:], rng.choice([0, 0, 0, 1, 2]))),
                              skill=tuple(rng.sample(skills, rng.choice([0, 1, 1, 2]))))
            if not filters.q and not filters.active:
                filters = Filters(skill=(rng.choice(skills),))
            searches.append((people.id(person), f"Search {k + 1}", filters.query_string(), rng.random() < 0.7,
                             yesterday, yesterday - timedelta(days=rng.randint(1, 300))))
    return searches, skill_alerts


def audit_sql(paths: dict[str, list[str]], targets: dict[str, str], first: str) -> str:
    """VALUES (final state, step, action, from, to) for every step on the way to each final state."""
    values = []
    for state, steps in paths.items():
        previous = None if first == "apply" else "draft"
        chain = ([first] if first == "apply" else []) + steps
        for n, action in enumerate(chain, start=1):
            to = "applied" if action == "apply" else targets[action]
            values.append(f"('{state}', {n}, {len(chain)}, '{action}', {repr(previous) if previous else 'NULL'}, '{to}')")
            previous = to
    return ", ".join(values)


AUDIT = """
INSERT INTO audit_events (record_type, record_id, action, from_state, to_state, actor_id, actor_label, data, created_at)
SELECT '{kind}', r.id, p.action, p.from_state, p.to_state, {actor_id}, {actor_label}, '{{}}',
       r.created_at + (r.updated_at - r.created_at) * (p.step - 1) / greatest(p.steps - 1, 1)
FROM {table} r {joins}
JOIN (VALUES {paths}) AS p(state, step, steps, action, from_state, to_state) ON p.state = r.state
"""


def write_audit(cursor: psycopg.Cursor) -> None:
    """The audit history each record's state implies, derived in SQL from the rows just copied."""
    cursor.execute(AUDIT.format(
        kind="application", table="applications", paths=audit_sql(PATHS, TARGETS, "apply"),
        joins="JOIN users u ON u.id = r.applicant_id JOIN opportunities o ON o.id = r.opportunity_id "
              "JOIN users h ON h.id = o.owner_id",
        actor_id="CASE WHEN p.action IN ('apply', 'withdraw') THEN u.id WHEN p.action IN ('approve', 'decline', "
                 "'lapse') THEN NULL ELSE h.id END",
        actor_label="CASE WHEN p.action IN ('apply', 'withdraw') THEN u.email WHEN p.action = 'lapse' THEN 'system' "
                    "WHEN p.action IN ('approve', 'decline') THEN r.home_manager_email || ' (e-mail link)' "
                    "ELSE h.email END"))
    cursor.execute(AUDIT.format(
        kind="opportunity", table="opportunities", paths=audit_sql(OPPORTUNITY_PATHS, OPPORTUNITY_TARGETS, "submit"),
        joins="JOIN users h ON h.id = r.owner_id",
        actor_id="CASE WHEN p.action IN ('submit', 'match', 'complete', 'cancel') THEN h.id END",
        actor_label="CASE WHEN p.action IN ('submit', 'match', 'complete', 'cancel') THEN h.email "
                    "WHEN p.action = 'expire' THEN 'system' ELSE r.approving_manager_email || ' (e-mail link)' END"))


def featured_ids(dsn: str) -> dict[str, int]:
    """What the page benchmarks use: the two accounts, the owner's busy opportunity and the detail page's
    (the next one, generated open and listed)."""
    with psycopg.connect(dsn.replace("postgresql+psycopg://", "postgresql://")) as connection:
        ids = {role: connection.execute("SELECT id FROM users WHERE email = %s", (email,)).fetchone()[0]
               for role, email in ACCOUNTS.items()}
        ids["busy"] = connection.execute("SELECT min(id) FROM opportunities WHERE owner_id = %s",
                                         (ids["owner"],)).fetchone()[0]
    return dict(ids, detail=ids["busy"] + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="1 = 100,000 opportunities, 200,000 people, 1,000,000 applications")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--create", action="store_true", help="create the database if it does not exist")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.create:
        create_database(args.database_url)
    upgrade(args.database_url)
    rng = random.Random(args.seed)
    today = Today()
    password_hash = hash_password(PASSWORD)
    with Session(create_engine(args.database_url)) as session:
        load_reference_data(session)
        featured = accounts(session, password_hash)
        session.commit()
        agencies = {a.id: a for a in session.scalars(select(Agency).where(Agency.active.is_(True)))}
        skills = list(session.scalars(select(Skill).where(Skill.retired.is_(False))))
    dsn = args.database_url.replace("postgresql+psycopg://", "postgresql://")
    sizes = {name: round(size * args.scale) for name, size in
             (("people", 200_000), ("opportunities", 100_000), ("applications", 1_000_000))}
    counts: dict[str, int] = {}
    laps = [started]

    def lap(label: str) -> None:
        laps.append(time.perf_counter())
        print(f"  {label}: {laps[-1] - laps[-2]:.1f} s", flush=True)

    lap("schema, reference data, accounts")
    with psycopg.connect(dsn) as connection, connection.cursor() as cursor:
        # Generated rows are consistent by construction: skip the per-row foreign-key triggers while loading.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        first_user = cursor.execute("SELECT max(id) + 1 FROM users").fetchone()[0]
        first_opportunity = cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM opportunities").fetchone()[0]
        domains = dict(cursor.execute("SELECT agency_id, min(domain) FROM email_domain_agencies GROUP BY agency_id"))
        people = Population(sizes["people"], first_user, [a for a in agencies.values() if a.id in domains],
                            [s.id for s in skills], today, password_hash, rng, domains)
        counts["users"] = copy(cursor, "users", people.rows)
        counts["user_skills"] = copy(cursor, "user_skills", people.skill_links)
        copy(cursor, "agency_admins", people.agency_admins)
        lap("people")
        links, facts, reminders = [], [], list(people.reminders)
        generated = opportunity_rows(sizes["opportunities"], first_opportunity, people, featured["owner"], agencies,
                                     skills, today, rng)

        def opportunities():
            for row, skill_ids, fact in generated:
                links.extend((row[0], skill_id) for skill_id in skill_ids)
                facts.append(fact)
                reminders.extend(opportunity_reminders(fact, row[28], today))
                yield row

        counts["opportunities"] = copy(cursor, "opportunities", opportunities())
        counts["opportunity_skills"] = copy(cursor, "opportunity_skills", links)
        lap("opportunities")
        applications = Applications(people, today, rng)
        per_opportunity = applicant_counts(facts, sizes["applications"], round(200 * args.scale), rng)
        viewer_on = set(rng.sample([i for i, n in enumerate(per_opportunity) if n and i > 1],
                                   max(2, round(20 * args.scale))))
        pool = people.employees
        for i, fact in enumerate(facts):
            if per_opportunity[i]:
                chosen = [pool[k] for k in rng.sample(range(len(pool)), per_opportunity[i])]
                applications.add(fact, chosen)
                if i in viewer_on:  # the viewer takes the last place, keeping one application per person
                    applications.rows[-1] = applications.rows[-1][:2] + (featured["viewer"],) + applications.rows[-1][3:]
        lap("applications generated")
        with indexes_rebuilt(cursor, "applications"):
            counts["applications"] = copy(cursor, "applications", applications.rows)
        for table in ("arrangements", "acknowledgements", "certificates"):
            counts[table] = copy(cursor, table, getattr(applications, table))
        lap("applications copied")
        counts["reminders_sent"] = copy(cursor, "reminders_sent", reminders + applications.reminders)
        preferences, held = digest_rows(people, max(10, round(1000 * args.scale)), today, rng)
        copy(cursor, "notification_preferences", preferences)
        counts["held e-mails"] = copy(cursor, "outbox_messages", held)
        searches, skill_alerts = alert_rows(people, max(10, round(10_000 * args.scale)), [s.id for s in skills],
                                            today, rng)
        counts["saved_searches"] = copy(cursor, "saved_searches", searches)
        cursor.execute("UPDATE users SET skill_alerts_since = %s WHERE id = ANY(%s)",
                       (today.now - DAY, skill_alerts))
        counts["people opted in to skill matches"] = cursor.rowcount
        with indexes_rebuilt(cursor, "audit_events"):
            write_audit(cursor)
        lap("audit history")
        counts["audit_events"] = cursor.execute("SELECT count(*) FROM audit_events").fetchone()[0]
        for table in ("users", "opportunities", "applications", "arrangements", "acknowledgements"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        connection.commit()
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    lap("VACUUM ANALYZE")
    elapsed = time.perf_counter() - started
    print(", ".join(f"{n:,} {table}" for table, n in counts.items()))
    print(f"Loaded scale {args.scale:g} in {elapsed:.1f} s. Accounts ({PASSWORD!r}): viewer {ACCOUNTS['viewer']} "
          f"({max(2, round(20 * args.scale))} applications), owner {ACCOUNTS['owner']} (opportunity "
          f"{first_opportunity}: {per_opportunity[0]} applicants); detail page: opportunity {first_opportunity + 1}.")


if __name__ == "__main__":
    main()
