"""Registering, confirming the address from the real e-mail, signing in."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.models import Agency, AuditEvent, EmailDomain, User
from tests.support.smtp import text_of
from workflows import clock

LINK = re.compile(r"http://127\.0\.0\.1:\d+(/verify/[\w.\-]+)")


def _register(web, session, email="alex.citizen@dta.gov.au", **extra):
    agency_id = session.scalar(select(Agency.id).where(Agency.abbreviation == "DTA"))
    data = {"name": "Alex Citizen", "email": email, "agency_id": str(agency_id),
            "password": "a long enough password", "confirm": "a long enough password", **extra}
    return web.submit("/register", data)


def test_registration_sends_a_link_that_confirms_the_address(web, session, mailbox):
    response = _register(web, session)
    assert response.status_code == 200 and "Check your e-mail" in response.get_data(as_text=True)
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
    _register(web, session, email="pat@digital.ato.gov.au")

    assert session.scalar(select(User).where(User.email == "pat@digital.ato.gov.au")) is not None


def test_same_address_cannot_register_twice_and_its_owner_is_told(web, session, make_user, mailbox):
    taken = make_user(email="taken@dta.gov.au", name="Tara Taken")

    _register(web, session, email="Taken@DTA.gov.au")

    assert session.scalar(select(func.count()).select_from(User).where(User.email == "taken@dta.gov.au")) == 1
    message = mailbox.wait_for_to("taken@dta.gov.au", "You already have")
    assert "/forgot-password" in text_of(message)
    session.refresh(taken)
    assert taken.name == "Tara Taken"


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


def _agency(session, abbreviation):
    return session.scalar(select(Agency).where(Agency.abbreviation == abbreviation))


def _shared_domain(session, domain="shared.gov.au", *abbreviations, contractors_only=False):
    found = EmailDomain(domain=domain, contractors_only=contractors_only,
                        agencies=[_agency(session, a) for a in abbreviations])
    session.add(found)
    session.commit()
    return found


def test_agency_is_taken_from_the_domain_not_from_what_is_chosen(web, session):
    response = _register(web, session, email="alex@ato.gov.au")  # the form posts the DTA's id

    assert response.status_code == 200
    user = session.scalar(select(User).where(User.email == "alex@ato.gov.au"))
    assert user.agency.abbreviation == "ATO"


def test_subdomain_gives_the_agency_of_its_parent_domain(web, session):
    _register(web, session, email="pat@digital.ato.gov.au")

    assert session.scalar(select(User).where(User.email == "pat@digital.ato.gov.au")).agency.abbreviation == "ATO"


@pytest.mark.parametrize("email", ["nurse@health.nsw.gov.au", "officer@council.vic.gov.au", "ranger@act.gov.au"])
def test_state_territory_and_local_government_addresses_are_refused_with_a_link_to_help(web, session, email):
    response = _register(web, session, email=email)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "for Australian Public Service staff" in page
    assert 'href="/help/who-can-participate"' in page
    assert session.scalar(select(User).where(User.email == email)) is None


def test_a_government_domain_no_agency_owns_is_refused(web, session):
    response = _register(web, session, email="someone@unknownthing.gov.au")

    assert response.status_code == 422
    assert "not the e-mail domain of an APS agency" in response.get_data(as_text=True)
    assert session.scalar(select(User.id)) is None


def test_a_retired_domain_admits_nobody_new(web, session):
    session.get(EmailDomain, "dta.gov.au").retired_at = clock.utcnow()
    session.commit()

    assert _register(web, session).status_code == 422
    assert session.scalar(select(User.id)) is None


def test_shared_domain_offers_only_its_agencies_and_needs_a_choice(web, session):
    _shared_domain(session, "shared.gov.au", "ATO", "ABS")

    response = _register(web, session, email="sam@shared.gov.au", agency_id="0")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose which of these agencies you work for" in page
    offered = set(re.findall(r'<option value="(\d+)"', page)) - {"0"}
    assert offered == {str(_agency(session, "ATO").id), str(_agency(session, "ABS").id)}
    assert session.scalar(select(User.id)) is None


def test_shared_domain_refuses_an_agency_that_does_not_share_it(web, session):
    _shared_domain(session, "shared.gov.au", "ATO", "ABS")

    response = _register(web, session, email="sam@shared.gov.au")  # the DTA's id

    assert response.status_code == 422
    assert session.scalar(select(User.id)) is None


def test_shared_domain_takes_the_agency_chosen_among_its_own(web, session):
    _shared_domain(session, "shared.gov.au", "ATO", "ABS")

    response = _register(web, session, email="sam@shared.gov.au", agency_id=str(_agency(session, "ABS").id))

    assert response.status_code == 200
    assert session.scalar(select(User).where(User.email == "sam@shared.gov.au")).agency.abbreviation == "ABS"


def test_contractors_only_domain_registers_a_contractor(web, session):
    _shared_domain(session, "partners.dta.gov.au", "DTA", contractors_only=True)

    _register(web, session, email="casey@partners.dta.gov.au")

    user = session.scalar(select(User).where(User.email == "casey@partners.dta.gov.au"))
    assert user.is_contractor and user.agency.abbreviation == "DTA"


def test_registration_is_audited_with_the_agency_the_domain_gave(web, session):
    _register(web, session, email="alex@abs.gov.au")

    user = session.scalar(select(User).where(User.email == "alex@abs.gov.au"))
    event = session.scalar(select(AuditEvent).where(AuditEvent.record_id == user.id, AuditEvent.action == "registered"))
    assert event.data == {"agency_id": _agency(session, "ABS").id, "domain": "abs.gov.au"}
