"""Correction requests (APP 13): asked by the person, decided by an admin of their agency, both audited."""
from __future__ import annotations

from sqlalchemy import select

from portal.models import AuditEvent, CorrectionRequest
from tests.conftest import sign_in
from tests.support import factories
from tests.support.smtp import text_of
from tests.support.web import Web


def _ask(web, person) -> CorrectionRequest:
    sign_in(web, person)
    web.get("/account/privacy/")
    response = web.post("/account/privacy/corrections", {"subject": "contractor", "details": "I am an APS employee."})
    assert response.status_code == 302
    return person


def test_a_person_asks_and_an_admin_of_their_agency_is_emailed(web, make_user, session, mailbox):
    person = make_user(name="Jo Person")
    admin = make_user(name="Ada Admin", admin_of=[person.agency])

    _ask(web, person)

    stored = session.scalar(select(CorrectionRequest))
    assert (stored.state, stored.subject, stored.agency_id) == ("pending", "contractor", person.agency_id)
    assert session.scalar(select(AuditEvent.action).where(AuditEvent.record_type == "correction")) == "request"
    assert "Jo Person" in mailbox.wait_for_to(admin.email, "asks for a correction")["Subject"]


def test_an_empty_request_is_refused_with_a_message(web, signed_in, session):
    signed_in()
    web.get("/account/privacy/")

    response = web.post("/account/privacy/corrections", {"subject": "email", "details": ""})

    assert response.status_code == 422 and "Say what should be corrected" in response.get_data(as_text=True)
    assert session.scalar(select(CorrectionRequest)) is None


def test_the_admin_accepts_and_the_person_is_told_with_the_decision_audited(web, app, make_user, session, mailbox):
    person = make_user(name="Jo Person")
    admin = make_user(name="Ada Admin", admin_of=[person.agency])
    _ask(Web(app.test_client()), person)
    correction = session.scalar(select(CorrectionRequest))
    sign_in(web, admin)
    web.get(f"/admin/corrections/{correction.id}")

    response = web.post(f"/admin/corrections/{correction.id}",
                        {"decision": "accept", "note": "Your contractor flag is removed.", "version": "1"})

    assert response.status_code == 302
    session.expire_all()
    assert session.get(CorrectionRequest, correction.id).state == "accepted"
    event = session.scalar(select(AuditEvent).where(AuditEvent.record_type == "correction", AuditEvent.action == "accept"))
    assert (event.actor_id, event.from_state, event.to_state) == (admin.id, "pending", "accepted")
    told = mailbox.wait_for_to(person.email, "Your correction request: corrected")
    assert "Your contractor flag is removed." in text_of(told)


def test_declining_needs_a_reason(web, app, make_user, session):
    person = make_user()
    admin = make_user(admin_of=[person.agency])
    _ask(Web(app.test_client()), person)
    correction = session.scalar(select(CorrectionRequest))
    sign_in(web, admin)
    web.get(f"/admin/corrections/{correction.id}")

    response = web.post(f"/admin/corrections/{correction.id}", {"decision": "decline", "note": ""})

    assert response.status_code == 422 and "Please give a reason" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(CorrectionRequest, correction.id).state == "pending"


def test_admins_of_another_agency_do_not_see_or_decide_it(web, app, make_user, session):
    person = make_user(agency_abbreviation="ATO")
    other = make_user(admin_of=[factories.agency(session, "DSS")])
    _ask(Web(app.test_client()), person)
    correction = session.scalar(select(CorrectionRequest))
    sign_in(web, other)

    assert "Nobody has asked" in web.get("/admin/corrections/").get_data(as_text=True)
    assert web.get(f"/admin/corrections/{correction.id}").status_code == 404
    assert web.post(f"/admin/corrections/{correction.id}", {"decision": "accept"}).status_code == 404


def test_an_admin_cannot_decide_their_own_request(web, make_user, session):
    admin = make_user()
    admin.admin_of = [admin.agency]
    session.commit()
    _ask(web, admin)
    correction = session.scalar(select(CorrectionRequest))

    assert web.get(f"/admin/corrections/{correction.id}").status_code == 404
