"""Close my account: open applications withdrawn through the workflow, signed out, no way back in."""
from __future__ import annotations

from sqlalchemy import select

from portal.models import Application, AuditEvent, User
from tests.conftest import sign_in
from tests.support import factories


def _applied(session, person, state="applied"):
    owner = factories.user(session, name="Olive Owner", email="olive.owner@dta.gov.au")
    opportunity = factories.open_opportunity(session, owner)
    application = factories.report_application(session, opportunity, person, state=state)
    session.commit()
    return application


def test_closing_withdraws_open_applications_and_tells_the_host(web, make_user, session, mailbox):
    person = make_user(name="Ari Applicant")
    application = _applied(session, person)
    sign_in(web, person)
    web.get("/account/privacy/")

    response = web.post("/account/privacy/close", {"password": "correct horse battery staple", "confirm": "y"})

    assert response.status_code == 302
    session.expire_all()
    assert session.get(Application, application.id).state == "withdrawn"
    event = session.scalar(select(AuditEvent).where(AuditEvent.record_type == "application",
                                                    AuditEvent.action == "withdraw"))
    assert event.actor_id == person.id and "closed" in event.reason
    assert session.get(User, person.id).closed_at is not None
    assert mailbox.wait_for_to("olive.owner@dta.gov.au", "withdrawn")
    assert web.get("/account/privacy/").status_code == 302  # signed out


def test_a_closed_account_cannot_sign_in_again(web, make_user, session):
    person = make_user()
    sign_in(web, person)
    web.get("/account/privacy/")
    web.post("/account/privacy/close", {"password": "correct horse battery staple", "confirm": "y"})

    response = web.submit("/sign-in", {"email": person.email, "password": "correct horse battery staple"})

    assert response.status_code == 422 and "You closed this account" in response.get_data(as_text=True)


def test_the_wrong_password_closes_nothing(web, make_user, session):
    person = make_user()
    application = _applied(session, person)
    sign_in(web, person)
    web.get("/account/privacy/")

    response = web.post("/account/privacy/close", {"password": "not my password", "confirm": "y"})

    assert response.status_code == 422 and "That is not your password" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, person.id).closed_at is None
    assert session.get(Application, application.id).state == "applied"


def test_an_owner_closing_cancels_their_unmatched_opportunities_and_applicants_are_told(web, make_user, session,
                                                                                     mailbox):
    from portal.models import Opportunity

    owner = make_user(name="Olive Owner")
    applicant = make_user(name="Ari Applicant")
    opportunity = factories.open_opportunity(session, owner)
    shared = factories.open_opportunity(session, owner, title="Shared with a co-owner")
    shared.coowners = [make_user(name="Cora Coowner")]
    application = factories.report_application(session, opportunity, applicant)
    session.commit()
    sign_in(web, owner)
    web.get("/account/privacy/")

    web.post("/account/privacy/close", {"password": "correct horse battery staple", "confirm": "y"})

    session.expire_all()
    assert session.get(Opportunity, opportunity.id).state == "cancelled"
    assert session.get(Application, application.id).state == "cancelled"
    assert session.get(Opportunity, shared.id).state == "open"  # the co-owner carries on
    assert mailbox.wait_for_to(applicant.email, "cancelled")
