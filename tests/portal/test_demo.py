"""`flask seed-demo`: realistic demo data in every state, loaded only into an empty database."""
from __future__ import annotations

import sqlite3
from contextlib import nullcontext
from datetime import datetime

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from tests.support.backends import BACKEND
from portal.models import Application, Arrangement, AuditEvent, Certificate, Feedback, Opportunity, User
from portal.models.applications import STATES as APPLICATION_STATES
from portal.models.opportunities import STATES as OPPORTUNITY_STATES


# The demo is what `make run` seeds into the embedded default (SQLite). On PostgreSQL one test shows the seed loads
# there too (the migration test also seeds it); the rest run on SQLite only, to keep the PostgreSQL run short.
embedded_only = pytest.mark.skipif(BACKEND == "postgres", reason="the demo's details are checked on SQLite, where "
                                                                   "`make run` seeds it")


def _seed(app):
    return app.test_cli_runner().invoke(args=["seed-demo"])


@pytest.fixture(scope="module")
def _seeded_copy(app):
    """SQLite: the demo seeded once for this module and kept as an in-memory copy of the whole database, with what
    the seed printed (seeding renders every PDF of the demo's paperwork: seconds each time)."""
    result = _seed(app)
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(":memory:")
    with db.engine.connect() as connection:
        connection.connection.dbapi_connection.backup(copy)
    yield result, copy
    copy.close()


@pytest.fixture
def seeded(request, app):
    """The demo seeded into this test's empty database; what `flask seed-demo` printed. On SQLite the module's seeded
    copy is restored, on PostgreSQL it is seeded."""
    if BACKEND == "postgres":
        return _seed(app)
    result, copy = request.getfixturevalue("_seeded_copy")
    with db.engine.connect() as connection:
        copy.backup(connection.connection.dbapi_connection)
    return result


def _count(session, column):
    return session.scalar(select(func.count(column)))


def test_seeding_an_empty_database_covers_every_state_of_both_workflows(seeded, session):
    result = seeded

    assert result.exit_code == 0, result.output
    opportunity_states = set(session.scalars(select(Opportunity.state).distinct()))
    application_states = set(session.scalars(select(Application.state).distinct()))
    assert opportunity_states == set(OPPORTUNITY_STATES)
    assert application_states == set(APPLICATION_STATES)
    assert 25 <= _count(session, User.id) <= 35
    assert 55 <= _count(session, Opportunity.id) <= 65


@embedded_only
def test_seeded_records_carry_the_history_that_led_to_their_state(seeded, session):

    for record_type, model in (("opportunity", Opportunity), ("application", Application)):
        latest = {}
        for event in session.scalars(select(AuditEvent).where(AuditEvent.record_type == record_type,
                                                              AuditEvent.to_state.is_not(None))
                                     .order_by(AuditEvent.created_at, AuditEvent.id)):
            latest[event.record_id] = event.to_state
        states = dict(session.execute(select(model.id, model.state)).all())
        assert latest == states


@embedded_only
def test_seed_prints_the_demo_logins_with_the_password(seeded, session):
    from portal.demo import DEMO_PASSWORD

    output = seeded.output

    assert DEMO_PASSWORD in output
    admin = session.scalar(select(User).where(User.is_site_admin))
    assert admin.email in output


@embedded_only
def test_seeding_again_reprints_the_logins_and_adds_nothing(app, seeded, session):
    people = _count(session, User.id)

    output = _seed(app).output

    assert "Demo data already loaded" in output and "helen.nguyen@dta.gov.au" in output
    assert _count(session, User.id) == people


@embedded_only
def test_seeded_opportunities_are_searchable_by_skill_and_agency(seeded, session):

    opportunity = session.scalars(select(Opportunity).order_by(Opportunity.id)).first()
    assert opportunity.skills[0].name in opportunity.search_text
    assert opportunity.host_agency.name in opportunity.search_text
    assert opportunity.commitment_band in {"up_to_10h", "up_to_1_day", "over_1_day"}


@embedded_only
def test_seeding_is_refused_when_people_already_exist(app, session, make_user):
    make_user()

    result = _seed(app)

    assert "already has people" in result.output
    assert _count(session, Opportunity.id) == 0
    assert _count(session, User.id) == 1


@embedded_only
def test_every_demo_persons_agency_is_the_one_their_address_gives(seeded, session):
    from portal.accounts.domains import agency_disagrees_with_email

    assert list(session.scalars(select(User.email).where(agency_disagrees_with_email()))) == []


def _application_of(session, email, state):
    return session.scalar(select(Application).join(Application.applicant)
                          .where(User.email == email, Application.state == state)
                          .order_by(Application.manager_decided_at.desc()).limit(1))


# Now, and the Tuesday after the Australia Day long weekend (working days counted across it).
@pytest.mark.parametrize("moment", [None, datetime.fromisoformat("2026-01-27T08:30:00+11:00")], ids=str)
@embedded_only
def test_the_first_sweeps_after_seeding_only_send_the_reminder_the_demo_means(request, app, session, moment):
    from portal.sweeps import load_all
    from workflows import clock

    with clock.frozen_at(moment) if moment else nullcontext():
        # Seeded at that moment; now's demo is the module's copy (seeded minutes ago, in the same working day).
        assert (_seed(app) if moment else request.getfixturevalue("seeded")).exit_code == 0
        states = dict(session.execute(select(Application.id, Application.state)).all())
        opportunity_states = dict(session.execute(select(Opportunity.id, Opportunity.state)).all())
        sent = {}
        for name, sweep in sorted(load_all().items()):  # every sweep once, as `flask reminders run` does
            with db.transaction() as sweep_session:
                sent[name] = sweep(sweep_session, False)

    session.expire_all()
    aisha = _application_of(session, "aisha.karim@dta.gov.au", "manager_approval")
    assert {name: lines for name, lines in sent.items() if lines} == {
        "home-manager-reminders": [f"reminder 1 to marcus.webb@dta.gov.au about application {aisha.id}"]}
    assert dict(session.execute(select(Application.id, Application.state)).all()) == states
    assert dict(session.execute(select(Opportunity.id, Opportunity.state)).all()) == opportunity_states
    assert session.scalar(select(func.count(Opportunity.id)).where(Opportunity.state == "approval",
                                                                   Opportunity.escalated_at.is_(None))) > 0


@embedded_only
def test_seeded_participations_carry_the_paperwork_their_jobs_rendered(seeded, session):

    confirmed = _application_of(session, "daniel.okafor@ato.gov.au", "confirmed")
    arrangement = session.scalar(select(Arrangement).where(Arrangement.application_id == confirmed.id))
    assert arrangement.pdf.startswith(b"%PDF")
    given = {ack.party: ack.acknowledged_at is not None for ack in arrangement.acknowledgements}
    assert given == {"participant": True, "host_manager": True, "home_manager": False}
    assert arrangement.created_at.date() >= confirmed.manager_decided_at.date()

    completed = _application_of(session, "aisha.karim@dta.gov.au", "completed")
    certificate = session.scalar(select(Certificate).where(Certificate.application_id == completed.id))
    assert certificate.pdf.startswith(b"%PDF")
    sides = set(session.scalars(select(Feedback.author_role).where(Feedback.application_id == completed.id)))
    assert sides == {"owner", "participant"}

    without_arrangement = select(func.count(Application.id)).where(
        Application.state == "confirmed", ~Application.id.in_(select(Arrangement.application_id)))
    without_certificate = select(func.count(Application.id)).where(
        Application.state == "completed", ~Application.id.in_(select(Certificate.application_id)))
    assert session.scalar(without_arrangement) == 0 and session.scalar(without_certificate) == 0


@embedded_only
def test_seeded_questions_one_answered_for_every_reader_one_waiting_on_its_owner(seeded, session, web):
    from markupsafe import escape

    from portal.demo import DEMO_PASSWORD
    from portal.models import Question

    answered, waiting = session.scalars(select(Question).order_by(Question.id)).all()
    assert (answered.state, waiting.state) == ("answered", "open")
    assert answered.opportunity_id == waiting.opportunity_id and answered.answer
    owner = answered.opportunity.owner
    assert owner.email in {"marcus.webb@dta.gov.au", "grace.liu@ato.gov.au"}, "a demo login answers it"

    assert web.submit("/sign-in", {"email": owner.email, "password": DEMO_PASSWORD}).status_code == 302
    assert f'href="/questions/{waiting.id}/answer"' in web.get("/").get_data(as_text=True), "on the owner's to-do list"
    page = web.get(f"/opportunities/{answered.opportunity_id}").get_data(as_text=True)
    assert str(escape(answered.answer)) in page and str(escape(waiting.body)) in page
