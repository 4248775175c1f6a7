"""Load many realistic opportunities into a PostgreSQL database with COPY, for search benchmarks.

    .venv/bin/python bench/generate.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/oneaps_bench \
        --create --count 100000

Creates the schema through the migrations, the reference agencies and skills, two people to sign in
as (bench.owner@example.gov.au and bench.viewer@example.gov.au, password below), then COPYs the
opportunities and their skills. Search text and commitment band come from the same function the
portal uses when an opportunity is saved. Deterministic for a given --seed.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import psycopg
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.accounts.passwords import hash_password  # noqa: E402
from portal.migrate import upgrade  # noqa: E402
from portal.models import Agency, Skill, User  # noqa: E402
from portal.opportunities.services import refresh_derived  # noqa: E402
from portal.reference import load_reference_data  # noqa: E402

PASSWORD = "benchmark password 2026"
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
# A marketplace years old: most opportunities are finished; about one in twelve is open at any time.
STATES = (["open"] * 8 + ["draft"] * 3 + ["approval"] * 2 + ["matched"] * 5 + ["completed"] * 50 + ["cancelled"] * 7
          + ["expired"] * 20 + ["rejected"] * 5)
KINDS = ["project", "project", "working_group", "testing", "shadowing", "mentoring", "other"]
MODES = ["remote"] * 6 + ["hybrid", "hybrid", "in_person"]
LOCATIONS = ["ACT", "ACT", "NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT"]
CLEARANCES = ["none"] * 6 + ["baseline", "baseline", "nv1", "nv2", "pv"]
COLUMNS = ("id", "state", "version", "title", "summary", "what_you_do", "what_you_gain", "about_team", "kind",
           "host_agency_id", "team", "location_state", "location_city", "work_mode", "commitment_kind",
           "commitment_amount", "commitment_band", "start_date", "end_date", "deadline", "positions",
           "clearance", "restricted_to_agency", "accepting_applications", "creator_id", "owner_id",
           "approving_manager_name", "approving_manager_email", "submitted_at", "approved_at", "search_text",
           "created_at", "updated_at")


def create_database(url: str) -> None:
    base, name = url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def people(session: Session) -> tuple[int, int]:
    """The owner of every generated opportunity and a viewer to sign in as (created once)."""
    agency = session.scalar(select(Agency).where(Agency.abbreviation == "DTA"))
    ids = []
    for email, name in (("bench.owner@example.gov.au", "Bench Owner"), ("bench.viewer@example.gov.au", "Bench Viewer")):
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=name, password_hash=hash_password(PASSWORD), agency=agency,
                        verified_at=datetime.now(timezone.utc))
            session.add(user)
            session.flush()
        ids.append(user.id)
    return ids[0], ids[1]


def rows(count: int, first_id: int, owner_id: int, agencies: list[Agency], skills: list[Skill], seed: int):
    """(opportunity row, skill ids) pairs; text drawn from small vocabularies so searches hit realistically."""
    rng = random.Random(seed)
    today = date.today()
    now = datetime.now(timezone.utc)
    for n in range(count):
        agency = rng.choice(agencies)
        chosen = rng.sample(skills, rng.randint(1, 3))
        mode = rng.choice(MODES)
        start = today + timedelta(days=rng.randint(10, 120))
        record = SimpleNamespace(
            title=f"{rng.choice(ROLES)} {rng.choice(PURPOSES)}"[:100],
            summary=f"Help us {rng.choice(VERBS)} {rng.choice(THINGS)} with a small team.",
            what_you_do=" ".join(f"{rng.choice(VERBS).capitalize()} {rng.choice(THINGS)}." for _ in range(4)),
            what_you_gain=f"Experience with {rng.choice(THINGS)} and a cross-agency network.",
            about_team=f"A team of {rng.randint(3, 15)} in {agency.name}.", team="Digital delivery",
            location_city="Canberra" if mode != "remote" else None, skills=chosen,
            commitment_kind=rng.choice(["total_hours", "hours_per_week", "percent"]),
            commitment_amount=rng.choice([2, 4, 8, 10, 20, 40]), start_date=start,
            end_date=start + timedelta(days=rng.randint(14, 180)))
        refresh_derived(record, agency)
        state = rng.choice(STATES)
        deadline = min(start, today + timedelta(days=rng.randint(1, 60)))
        created = now - timedelta(days=rng.randint(0, 90), minutes=n % 1440)
        row = (first_id + n, state, 1, record.title, record.summary, record.what_you_do, record.what_you_gain,
               record.about_team, rng.choice(KINDS), agency.id, record.team,
               rng.choice(LOCATIONS) if mode != "remote" else None, record.location_city, mode,
               record.commitment_kind, record.commitment_amount, record.commitment_band, start, record.end_date,
               deadline, rng.randint(1, 5), rng.choice(CLEARANCES), rng.random() < 0.1, True, owner_id, owner_id,
               "Bench Manager", "bench.manager@example.gov.au", created,
               created + timedelta(days=2) if state not in ("draft", "approval") else None, record.search_text,
               created, created)
        yield row, [s.id for s in chosen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--create", action="store_true", help="create the database if it does not exist")
    args = parser.parse_args()
    if args.create:
        create_database(args.database_url)
    upgrade(args.database_url)
    engine = create_engine(args.database_url)
    with Session(engine) as session:
        load_reference_data(session)
        owner_id, _ = people(session)
        session.commit()
        agencies = list(session.scalars(select(Agency).where(Agency.active.is_(True))))
        skills = list(session.scalars(select(Skill).where(Skill.retired.is_(False))))
    started = time.perf_counter()
    dsn = args.database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as connection:
        first_id = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM opportunities").fetchone()[0]
        links: list[tuple[int, int]] = []
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY opportunities ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row, skill_ids in rows(args.count, first_id, owner_id, agencies, skills, args.seed):
                    copy.write_row(row)
                    links.extend((row[0], skill_id) for skill_id in skill_ids)
            with cursor.copy("COPY opportunity_skills (opportunity_id, skill_id) FROM STDIN") as copy:
                for link in links:
                    copy.write_row(link)
            cursor.execute("SELECT setval(pg_get_serial_sequence('opportunities', 'id'), "
                           "(SELECT max(id) FROM opportunities))")
        connection.commit()
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE opportunities")
        connection.execute("VACUUM ANALYZE opportunity_skills")
    elapsed = time.perf_counter() - started
    print(f"Loaded {args.count} opportunities and {len(links)} skill links in {elapsed:.1f} s "
          f"({args.count / elapsed:,.0f} a second). Sign in as bench.viewer@example.gov.au / {PASSWORD!r}.")


if __name__ == "__main__":
    main()
