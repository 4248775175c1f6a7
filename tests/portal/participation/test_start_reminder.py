"""The day before a participation starts, the participant and the host are reminded, once."""
from __future__ import annotations

from datetime import timedelta

from portal.participation.sweeps import remind_start
from portal.extensions import db
from portal.models import Application, Notification
from tests.support import factories
from workflows import clock


def _confirmed(session, make_user, starts):
    owner = make_user(email="olive.owner@dta.gov.au", name="Olive Owner")
    applicant = make_user(email="ari.applicant@ato.gov.au", name="Ari Applicant", agency_abbreviation="ATO")
    opportunity = factories.open_opportunity(session, owner, start_date=starts, end_date=starts + timedelta(days=60))
    application = Application(opportunity_id=opportunity.id, applicant_id=applicant.id, state="confirmed",
                              statement="Keen", home_manager_name="Hana Home", home_manager_email="hana@ato.gov.au")
    session.add(application)
    session.commit()
    return application


def test_participant_and_host_are_reminded_the_day_before_once(make_user, session, mailbox):
    application = _confirmed(session, make_user, clock.canberra_today() + timedelta(days=1))

    with db.transaction() as tx:
        assert remind_start(tx, False) == [f"start reminder for application {application.id} "
                                          f"({application.opportunity.start_date})"]
    with db.transaction() as tx:
        assert remind_start(tx, False) == []

    assert "starts soon" in mailbox.wait_for_to("ari.applicant@ato.gov.au", "starts soon")["Subject"]
    host = mailbox.wait_for_to("olive.owner@dta.gov.au", "starts soon")
    assert "Ari Applicant starts working with you" in host.get_body(("plain",)).get_content()
    assert session.query(Notification).count() == 2


def test_nothing_is_sent_a_week_ahead(make_user, session):
    _confirmed(session, make_user, clock.canberra_today() + timedelta(days=7))
    with db.transaction() as tx:
        assert remind_start(tx, True) == []
