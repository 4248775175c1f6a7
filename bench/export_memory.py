"""Benchmark (not a test): peak memory of the opportunities CSV export over a generated 100,000-row table.

Run from the project root with PostgreSQL up (TEST_POSTGRES_URL, as for the test suite):

    .venv/bin/python -m bench.export_memory [--rows 100000] [--skills-per-row 2] [--compare-buffered]

It creates a scratch database, migrates it, loads the rows with COPY, then exports them through the real
view (`/reports/export/opportunities.csv`) with the Flask test client, iterating the streamed response.
Peak RSS (getrusage ru_maxrss) is read before and after the export. With --compare-buffered it then loads
the same SELECT into a list, to show what an export that did not stream would have needed.
"""
from __future__ import annotations

import argparse
import platform
import resource
import tempfile
import time
from datetime import datetime, timezone

from sqlalchemy import select

from portal import create_app
from portal.config import Settings
from portal.extensions import db
from portal.migrate import upgrade
from portal.models import Skill, User
from portal.reference import load_reference_data
from portal.reports import exports
from portal.reports.scope import Scope
from tests.support import factories
from tests.support.backends import ScratchDatabase

YEAR = {"from_date": "2026-01-01", "to_date": "2026-12-31"}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def current_rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1024 / 1024


def load_rows(url: str, rows: int, skills_per_row: int) -> int:
    """One owner, `rows` opportunities and their skills, written with COPY; returns the admin's id."""
    with db.transaction() as session:
        load_reference_data(session)
        owner = factories.user(session, name="Olive Owner", email="olive@dta.gov.au")
        admin = factories.user(session, name="Ada Admin", email="ada@dta.gov.au", site_admin=True)
        skill_ids = list(session.scalars(select(Skill.id).order_by(Skill.id)))
        owner_id, agency_id, admin_id = owner.id, owner.agency_id, admin.id
    created = datetime(2026, 6, 1, tzinfo=timezone.utc)
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        columns = ("id, version, title, summary, what_you_do, what_you_gain, about_team, state, kind, host_agency_id, "
                   "team, work_mode, commitment_kind, commitment_amount, positions, clearance, restricted_to_agency, "
                   "accepting_applications, search_text, creator_id, owner_id, created_at, updated_at")
        with cursor.copy(f"COPY opportunities ({columns}) FROM STDIN") as copy:
            for n in range(1, rows + 1):
                copy.write_row((n, 1, f"Opportunity {n}: data and digital work", "A short summary.", "Analyse data.",
                                "Experience.", "A small team.", "open", "project", agency_id, "Digital Delivery",
                                "remote", "hours_per_week", 8, 1, "baseline", False, True, "", owner_id, owner_id,
                                created, created))
        with cursor.copy("COPY opportunity_skills (opportunity_id, skill_id) FROM STDIN") as copy:
            for n in range(1, rows + 1):
                for k in range(skills_per_row):
                    copy.write_row((n, skill_ids[(n + k) % len(skill_ids)]))
        cursor.execute("SELECT setval('opportunities_id_seq', %s)", (rows,))
        cursor.execute("ANALYZE opportunities; ANALYZE opportunity_skills")
        raw.commit()
    finally:
        raw.close()
    return admin_id


def export_through_view(app, admin_id: int) -> tuple[int, int, int, float, float]:
    """Rows, bytes and chunks received, seconds taken and the highest RSS seen between chunks, streaming
    the real view's response (getrusage's peak alone can hide the export under the start-up peak)."""
    client = app.test_client()
    with app.app_context():
        admin = db.session.get(User, admin_id)
        login_id = admin.get_id()
    with client.session_transaction() as browser_session:
        browser_session["_user_id"] = login_id
        browser_session["_fresh"] = True
    started = time.perf_counter()
    response = client.get("/reports/export/opportunities.csv", query_string=YEAR, buffered=False)
    assert response.status_code == 200, response.status_code
    lines = size = chunks = 0
    highest = current_rss_mib()
    for chunk in response.iter_encoded():
        chunks += 1
        size += len(chunk)
        lines += chunk.count(b"\n")
        highest = max(highest, current_rss_mib())
    response.close()
    return lines - 1, size, chunks, time.perf_counter() - started, highest


def buffered_peak(app) -> int:
    """What the same SELECT costs when every row is held at once, as a non-streaming export would."""
    with app.app_context():
        _, statement = exports.opportunities(Scope(datetime(2026, 1, 1).date(), datetime(2026, 12, 31).date(), None))
        rows = db.session.execute(statement).all()
        held = len(rows)
        del rows
    return held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skills-per-row", type=int, default=2)
    parser.add_argument("--compare-buffered", action="store_true")
    options = parser.parse_args()

    scratch = ScratchDatabase.create()
    try:
        with tempfile.TemporaryDirectory() as instance:
            upgrade(scratch.url)
            settings = Settings.from_env({"DATABASE_URL": scratch.url, "INSTANCE_DIR": instance,
                                          "SECRET_KEY": "benchmark-only-secret"}, testing=True)
            app = create_app(settings)
            load_started = time.perf_counter()
            admin_id = load_rows(scratch.url, options.rows, options.skills_per_row)
            load_seconds = time.perf_counter() - load_started
            before_peak, before_now = peak_rss_mib(), current_rss_mib()
            rows, size, chunks, seconds, highest = export_through_view(app, admin_id)
            after_peak, after_now = peak_rss_mib(), current_rss_mib()
            print(f"machine: {platform.node()} · {platform.processor() or platform.machine()} · "
                  f"Python {platform.python_version()} · PostgreSQL scratch database")
            print(f"loaded {options.rows:,} opportunities (+{options.rows * options.skills_per_row:,} skill links) "
                  f"with COPY in {load_seconds:.1f} s")
            print(f"exported {rows:,} rows, {size / 1024 / 1024:.1f} MiB of CSV in {chunks:,} chunks, "
                  f"{seconds:.1f} s ({rows / seconds:,.0f} rows/s)")
            print(f"RSS before export: {before_now:.1f} MiB now, {before_peak:.1f} MiB peak")
            print(f"during export: highest RSS {highest:.1f} MiB ({highest - before_now:+.1f} MiB over before)")
            print(f"RSS after export: {after_now:.1f} MiB now, {after_peak:.1f} MiB peak "
                  f"(peak growth {after_peak - before_peak:+.1f} MiB)")
            if options.compare_buffered:
                held = buffered_peak(app)
                buffered = peak_rss_mib()
                print(f"for comparison, holding all {held:,} rows in a list: peak RSS {buffered:.1f} MiB "
                      f"({buffered - highest:+.1f} MiB over the streamed export's highest)")
            db.engine.dispose()
    finally:
        scratch.drop()


if __name__ == "__main__":
    main()
