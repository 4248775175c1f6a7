"""The migrations are the only way the schema is made, so they must build exactly what the models say."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.orm import Session

from portal.accounts.domains import agency_disagrees_with_email, membership
from portal.config import PROJECT_ROOT
from portal.demo.people import PEOPLE
from portal.extensions import db
from portal.migrate import downgrade, include_object, upgrade
from portal.models import Base, EmailDomain, User
from tests.support import backends


def _differences(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object,
                                                               "compare_type": True})
        return compare_metadata(context, Base.metadata)


@pytest.fixture
def scratch_url(tmp_path) -> Iterator[str]:
    """An empty database of its own: a temporary file on SQLite, a second scratch database on PostgreSQL."""
    if backends.BACKEND == "postgres":
        scratch = backends.ScratchDatabase.create()
        try:
            yield scratch.url
        finally:
            scratch.drop()
    else:
        yield f"sqlite:///{tmp_path / 'scratch.db'}"


def test_autogenerate_finds_no_difference_between_models_and_migrations(app):
    assert _differences(db.engine) == []


def test_downgrade_to_base_then_upgrade_again_rebuilds_the_same_schema(scratch_url):
    upgrade(scratch_url)
    downgrade(scratch_url, "base")
    engine = create_engine(scratch_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(scratch_url)
        assert {t.name for t in Base.metadata.sorted_tables} <= set(inspect(engine).get_table_names())
        assert _differences(engine) == []
    finally:
        engine.dispose()


def _flask(scratch_url: str, instance, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": scratch_url, "INSTANCE_DIR": str(instance),
           "SECRET_KEY": "migration-test-secret"}
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=PROJECT_ROOT, env=env, check=True,
                   capture_output=True, timeout=300)


def test_agency_domains_migration_keeps_every_agency_on_the_demo_and_bench_data(scratch_url, tmp_path):
    """0010 on a copy of the demo database (`flask seed-demo`) plus people shaped like the bench data's (an
    agency without a domain got apsc.gov.au addresses) and one let in by the old gov.au default: nobody's agency
    changes, the disagreeing ones (and only they) are listed, and the site admins' extra domain survives."""
    _flask(scratch_url, tmp_path, "db", "upgrade")
    _flask(scratch_url, tmp_path, "seed-demo")
    downgrade(scratch_url, "0009")
    engine = create_engine(scratch_url)
    try:
        with engine.begin() as connection:
            dta, domainless = (connection.execute(text(
                "SELECT id FROM agencies WHERE abbreviation = :a"), {"a": a}).scalar_one() for a in ("DTA", "ARWA"))
            connection.execute(text("UPDATE agencies SET email_domain = NULL WHERE id = :id"), {"id": domainless})
            for email, agency_id in (("kim.lee.900001@apsc.gov.au", domainless), ("nurse@health.nsw.gov.au", dta),
                                     ("sam.ng.900002@dta.gov.au", dta)):
                connection.execute(text(
                    "INSERT INTO users (email, name, password_hash, agency_id, is_contractor, is_site_admin, "
                    "failed_logins, session_version, created_at, updated_at) VALUES (:e, 'Bench Person', 'x', :a, "
                    "false, false, 0, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"e": email, "a": agency_id})
            connection.execute(text("INSERT INTO allowed_domains (domain, created_at) VALUES ('gov.au', "
                                    "CURRENT_TIMESTAMP), ('partner.example.com', CURRENT_TIMESTAMP)"))
            before = dict(connection.execute(text("SELECT email, agency_id FROM users")).all())

        _flask(scratch_url, tmp_path, "db", "upgrade")  # as a release does: migrations, then reference data

        with Session(engine) as session:
            assert dict(session.execute(select(User.email, User.agency_id)).all()) == before
            listed = set(session.scalars(select(User.email).where(agency_disagrees_with_email())))
            assert listed == {"kim.lee.900001@apsc.gov.au", "nurse@health.nsw.gov.au"}
            assert {u.email for u in session.scalars(select(User))
                    if not membership(session, u.email).admits(u.agency_id)} == listed
            domains = {d.domain: [a.abbreviation for a in d.agencies] for d in session.scalars(select(EmailDomain))}
            assert domains["dta.gov.au"] == ["DTA"] and domains["partner.example.com"] == []
            assert "gov.au" not in domains
            demo_domains = {p.email.rpartition("@")[2] for p in PEOPLE}
            assert demo_domains <= set(domains)
    finally:
        engine.dispose()


def test_one_line_text_stored_with_control_characters_is_cleaned(scratch_url):
    """Rows written before the forms refused line breaks: 0011 makes each run of control characters one space
    (and keeps unique names unique)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from portal.models import Agency, Opportunity, SavedSearch, Skill, User

    upgrade(scratch_url)
    engine = create_engine(scratch_url)
    try:
        with Session(engine) as session:
            agency = Agency(name="Digital\r\nAgency\t")
            session.add_all([agency, Skill(name="Data work", family="Data"),
                             Skill(name="Data\nwork", family="Data\u202e")])
            person = User(email="ari@dta.gov.au", password_hash="x", name="Ari\r\nBcc: all@dta.gov.au",
                          agency=agency, job_title="\x07Analyst", location="Canberra\u200bACT")
            session.add(person)
            session.flush()
            session.add_all([Opportunity(title="Data\r\n\r\nwork", state="draft", version=1, creator=person,
                                         owner=person, team="Team\tA", approving_manager_name="Max\nApprover"),
                             SavedSearch(user_id=person.id, name="Mine", query="q="),
                             SavedSearch(user_id=person.id, name="Mine\r\n", query="q=x")])
            session.commit()
            agency_id = agency.id
        downgrade(scratch_url, _revision_before("0011"))
        upgrade(scratch_url)

        with Session(engine) as session:
            assert session.scalar(select(User.name)) == "Ari Bcc: all@dta.gov.au"
            assert session.execute(select(User.job_title, User.location)).one() == ("Analyst", "Canberra ACT")
            assert session.scalar(select(Agency.name).where(Agency.id == agency_id)) == "Digital Agency"
            opportunity = session.execute(select(Opportunity.title, Opportunity.team,
                                                 Opportunity.approving_manager_name)).one()
            assert opportunity == ("Data work", "Team A", "Max Approver")
            skills = set(session.execute(select(Skill.name, Skill.family).where(Skill.name.like("Data work%"))))
            assert skills == {("Data work", "Data"), (f"Data work ({_id_of(session, Skill, 'Data work (%')})", "Data")}
            assert sorted(session.scalars(select(SavedSearch.name))) == \
                ["Mine", f"Mine ({_id_of(session, SavedSearch, 'Mine (%')})"]
    finally:
        engine.dispose()


def test_queued_jobs_stored_as_e_mails_become_jobs_and_back(scratch_url):
    """0014: a `job:` row with a blank recipient (how jobs were queued before) becomes a job with no recipient."""
    upgrade(scratch_url, "0009")
    engine = create_engine(scratch_url)
    insert = text("INSERT INTO outbox_messages (idempotency_key, template, category, recipient, context, attachments, "
                  "status, attempts, created_at) VALUES (:key, :template, :category, :recipient, '{}', '[]', "
                  "'pending', 0, CURRENT_TIMESTAMP)")
    rows = text("SELECT idempotency_key, kind, template, recipient, category FROM outbox_messages "
                "ORDER BY idempotency_key")
    try:
        with engine.begin() as connection:
            connection.execute(insert, {"key": "job:arrangement:7:confirmed", "template": "job:render-arrangement",
                                        "category": "job", "recipient": ""})
            connection.execute(insert, {"key": "application:7:v3:application_confirmed:sam@example.gov.au",
                                        "template": "application_confirmed", "category": "my_applications",
                                        "recipient": "sam@example.gov.au"})
        upgrade(scratch_url)
        with engine.connect() as connection:
            assert connection.execute(rows).all() == [
                ("application:7:v3:application_confirmed:sam@example.gov.au", "email", "application_confirmed",
                 "sam@example.gov.au", "my_applications"),
                ("job:arrangement:7:confirmed", "job", "render-arrangement", None, "general")]
        downgrade(scratch_url, "0009")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT template, recipient, category FROM outbox_messages "
                                           "ORDER BY idempotency_key")).all() == [
                ("application_confirmed", "sam@example.gov.au", "my_applications"), ("job:render-arrangement", "", "job")]
    finally:
        engine.dispose()


def _id_of(session, model, pattern: str) -> int:
    from sqlalchemy import select

    return session.scalar(select(model.id).where(model.name.like(pattern)))


def _revision_before(revision: str) -> str:
    """Where the clean-up migration starts from, whatever it is chained after when branches merge."""
    from alembic.script import ScriptDirectory

    from portal.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(revision).down_revision
