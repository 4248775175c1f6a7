"""The migrations are the only way the schema is made, so they must build exactly what the models say."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from portal.extensions import db
from portal.migrate import downgrade, include_object, upgrade
from portal.models import Base
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


def _id_of(session, model, pattern: str) -> int:
    from sqlalchemy import select

    return session.scalar(select(model.id).where(model.name.like(pattern)))


def _revision_before(revision: str) -> str:
    """Where the clean-up migration starts from, whatever it is chained after when branches merge."""
    from alembic.script import ScriptDirectory

    from portal.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(revision).down_revision
