"""`flask seed-demo`: realistic demo data in every state, loaded only into an empty database."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.models import Application, AuditEvent, Opportunity, User
from portal.models.applications import STATES as APPLICATION_STATES
from portal.models.opportunities import STATES as OPPORTUNITY_STATES


def _seed(app):
    return app.test_cli_runner().invoke(args=["seed-demo"])


def _count(session, column):
    return session.scalar(select(func.count(column)))


def test_seeding_an_empty_database_covers_every_state_of_both_workflows(app, session):
    result = _seed(app)

    assert result.exit_code == 0, result.output
    opportunity_states = set(session.scalars(select(Opportunity.state).distinct()))
    application_states = set(session.scalars(select(Application.state).distinct()))
    assert opportunity_states == set(OPPORTUNITY_STATES)
    assert application_states == set(APPLICATION_STATES)
    assert 25 <= _count(session, User.id) <= 35
    assert 55 <= _count(session, Opportunity.id) <= 65


def test_seeded_records_carry_the_history_that_led_to_their_state(app, session):
    _seed(app)

    for record_type, model in (("opportunity", Opportunity), ("application", Application)):
        latest = {}
        for event in session.scalars(select(AuditEvent).where(AuditEvent.record_type == record_type)
                                     .order_by(AuditEvent.created_at, AuditEvent.id)):
            latest[event.record_id] = event.to_state
        states = dict(session.execute(select(model.id, model.state)).all())
        assert latest == states


def test_seed_prints_the_demo_logins_with_the_password(app, session):
    from portal.demo import DEMO_PASSWORD

    output = _seed(app).output

    assert DEMO_PASSWORD in output
    admin = session.scalar(select(User).where(User.is_site_admin))
    assert admin.email in output


def test_seeding_again_reprints_the_logins_and_adds_nothing(app, session):
    _seed(app)
    people = _count(session, User.id)

    output = _seed(app).output

    assert "Demo data already loaded" in output and "helen.nguyen@dta.gov.au" in output
    assert _count(session, User.id) == people


def test_seeded_opportunities_are_searchable_by_skill_and_agency(app, session):
    _seed(app)

    opportunity = session.scalars(select(Opportunity).order_by(Opportunity.id)).first()
    assert opportunity.skills[0].name in opportunity.search_text
    assert opportunity.host_agency.name in opportunity.search_text
    assert opportunity.commitment_band in {"up_to_10h", "up_to_1_day", "over_1_day"}


def test_seeding_is_refused_when_people_already_exist(app, session, make_user):
    make_user()

    result = _seed(app)

    assert "already has people" in result.output
    assert _count(session, Opportunity.id) == 0
    assert _count(session, User.id) == 1


def test_every_demo_persons_agency_is_the_one_their_address_gives(app, session):
    from portal.accounts.domains import agency_disagrees_with_email

    assert _seed(app).exit_code == 0
    assert list(session.scalars(select(User.email).where(agency_disagrees_with_email()))) == []
