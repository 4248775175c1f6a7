"""Registering, confirming the address from the real e-mail, signing in."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.models import Agency, AuditEvent, User
from tests.support.smtp import text_of

LINK = re.compile(r"http://127\.0\.0\.1:\d+(/verify/[\w.\-]+)")


def _register(web, session, email="alex.citizen@dta.gov.au", **extra):
    agency_id = session.scalar(select(Agency.id).where(Agency.abbreviation == "DTA"))
    data = {"name": "Alex Citizen", "email": email, "agency_id": str(agency_id),
            "password": "a long enough password", "confirm": "a long enough password", **extra}
    return web.submit("/register", data)


def test_registration_sends_a_link_that_confirms_the_address(web, session, mailbox):
    response = _register(web, session)
    assert response.status_code == 302 and response.location.endswith("/verify")
    message = mailbox.wait_for_to("alex.citizen@dta.gov.au", "Confirm your e-mail")
    path = LINK.search(text_of(message)).group(1)

    confirmed = web.get(path)

    assert confirmed.status_code == 302
    user = session.scalar(select(User).where(User.email == "alex.citizen@dta.gov.au"))
    session.refresh(user)
    assert user.verified_at is not None
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.record_id == user.id)).all()
    assert {"registered", "verified"} <= set(actions)


def test_verification_link_cannot_be_reused(web, session, mailbox):
    _register(web, session)
    path = LINK.search(text_of(mailbox.wait_for_to("alex.citizen@dta.gov.au"))).group(1)
    web.get(path)

    again = web.get(path)

    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)


def test_tampered_verification_link_is_refused_with_a_clear_page(web, session, mailbox):
    _register(web, session)
    path = LINK.search(text_of(mailbox.wait_for_to("alex.citizen@dta.gov.au"))).group(1)

    response = web.get(path[:-3] + "abc")

    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_address_outside_the_allow_list_is_refused_next_to_the_field(web, session):
    response = _register(web, session, email="someone@gmail.com")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Use your APS agency e-mail address" in page
    assert 'id="email-error"' in page
    assert session.scalar(select(User).where(User.email == "someone@gmail.com")) is None


def test_subdomain_of_an_allowed_domain_is_accepted(web, session):
    assert _register(web, session, email="pat@digital.ato.gov.au").status_code == 302


def test_same_address_cannot_register_twice(web, session, make_user):
    make_user(email="taken@dta.gov.au")

    response = _register(web, session, email="Taken@DTA.gov.au")

    assert response.status_code == 422
    assert "already uses this address" in response.get_data(as_text=True)


def test_unverified_person_can_browse_help_but_is_asked_to_confirm(web, make_user, signed_in):
    signed_in(make_user(verified=False))

    assert web.get("/help/").status_code == 200
    assert "Confirm your e-mail address" in web.get("/verify").get_data(as_text=True)


def test_form_without_csrf_token_is_refused(web, session):
    agency_id = session.scalar(select(Agency.id))
    response = web.post("/register", {"name": "X", "email": "x@dta.gov.au", "agency_id": agency_id,
                                      "password": "a long enough password", "confirm": "a long enough password"},
                        csrf=False)
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
