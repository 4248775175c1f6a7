"""A person's agency follows an address they proved is theirs, or an agency admin's audited move; the contractor
mark only moves towards fewer rights unless an admin of their agency changes it."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.accounts.membership import follow_verified_address
from portal.models import Agency, AuditEvent, EmailDomain, User
from tests.support.smtp import text_of

MOVE_LINK = re.compile(r"http://127\.0\.0\.1:\d+(/profile/agency/[\w.\-]+)")


def _agency(session, abbreviation: str) -> Agency:
    return session.scalar(select(Agency).where(Agency.abbreviation == abbreviation))


def _events(session, user: User, action: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.record_type == "user",
                                                         AuditEvent.record_id == user.id, AuditEvent.action == action)))


def _ask_to_move(web, new_email: str, agency_id: str = "0"):
    return web.submit("/profile/agency", {"email": new_email, "agency_id": agency_id})


def _move_link(mailbox, address: str) -> str:
    return MOVE_LINK.search(text_of(mailbox.wait_for_to(address, "Confirm your new e-mail address"))).group(1)


def test_profile_no_longer_changes_the_agency(web, session, signed_in):
    person = signed_in(email="dana@dta.gov.au")
    ato = _agency(session, "ATO")

    response = web.submit("/profile", {"name": "Dana Example", "agency_id": str(ato.id), "job_title": "Tax officer"})

    assert response.status_code == 302
    session.refresh(person)
    assert person.agency.abbreviation == "DTA" and person.job_title == "Tax officer"
    assert 'name="agency_id"' not in web.get("/profile").get_data(as_text=True)


def test_moving_agency_follows_a_confirmed_address_and_keeps_the_old_one_on_record(web, session, signed_in, mailbox):
    person = signed_in(email="dana@dta.gov.au")

    assert _ask_to_move(web, "dana.smith@ato.gov.au").status_code == 302
    session.refresh(person)
    assert person.agency.abbreviation == "DTA", "nothing changes before the link is opened"
    response = web.get(_move_link(mailbox, "dana.smith@ato.gov.au"))

    assert response.status_code == 302
    session.refresh(person)
    assert (person.email, person.agency.abbreviation) == ("dana.smith@ato.gov.au", "ATO")
    [moved] = _events(session, person, "agency_moved")
    assert moved.data["from_email"] == "dana@dta.gov.au" and moved.data["to_email"] == "dana.smith@ato.gov.au"
    assert moved.data["from_agency"] == "Digital Transformation Agency" and moved.data["how"] == "confirmed_address"


def test_moving_to_a_state_government_address_is_refused(web, session, signed_in, mailbox):
    person = signed_in(email="dana@dta.gov.au")

    response = _ask_to_move(web, "dana@health.nsw.gov.au")

    assert response.status_code == 422
    assert "for Australian Public Service staff" in response.get_data(as_text=True)
    session.refresh(person)
    assert person.agency.abbreviation == "DTA" and not mailbox.to("dana@health.nsw.gov.au")


def test_moving_to_an_address_another_account_uses_sends_nothing(web, session, signed_in, make_user, mailbox):
    make_user(email="taken@ato.gov.au")
    signed_in(email="dana@dta.gov.au")

    response = _ask_to_move(web, "taken@ato.gov.au")

    assert response.status_code == 302
    assert not mailbox.to("taken@ato.gov.au")


def test_shared_domain_move_needs_a_choice_among_its_agencies(web, session, signed_in, mailbox):
    session.add(EmailDomain(domain="shared.gov.au", agencies=[_agency(session, "ATO"), _agency(session, "ABS")]))
    session.commit()
    person = signed_in(email="dana@dta.gov.au")

    assert _ask_to_move(web, "dana@shared.gov.au").status_code == 422
    assert _ask_to_move(web, "dana@shared.gov.au", str(_agency(session, "ABS").id)).status_code == 302
    web.get(_move_link(mailbox, "dana@shared.gov.au"))

    session.refresh(person)
    assert person.agency.abbreviation == "ABS"


def test_declaring_oneself_a_contractor_is_audited_and_cannot_be_undone_by_the_person(web, session, signed_in):
    person = signed_in(email="dana@dta.gov.au")

    assert web.post("/profile/contractor").status_code == 302
    web.submit("/profile", {"name": "Dana Example", "is_contractor": ""})

    session.refresh(person)
    assert person.is_contractor
    assert len(_events(session, person, "contractor_marked")) == 1
    assert "I am now a contractor" not in web.get("/profile").get_data(as_text=True)


def test_an_admin_of_their_agency_clears_the_contractor_mark(web, session, make_user, signed_in):
    person = make_user(email="casey@dta.gov.au", contractor=True)
    admin = signed_in(admin_of=[_agency(session, "DTA")])

    response = web.post(f"/admin/people/{person.id}/contractor", {"contractor": "0"})

    assert response.status_code == 302
    session.refresh(person)
    assert not person.is_contractor
    [cleared] = _events(session, person, "contractor_cleared")
    assert cleared.actor_id == admin.id


def test_an_admin_of_another_agency_cannot_change_the_contractor_mark(web, session, make_user, signed_in):
    person = make_user(email="casey@dta.gov.au", contractor=True)
    signed_in(agency_abbreviation="ATO", admin_of=[_agency(session, "ATO")])

    response = web.post(f"/admin/people/{person.id}/contractor", {"contractor": "0"})

    assert response.status_code == 403
    session.refresh(person)
    assert person.is_contractor


def test_contractors_only_domain_keeps_its_people_contractors(web, session, make_user, signed_in):
    session.add(EmailDomain(domain="partners.dta.gov.au", contractors_only=True, agencies=[_agency(session, "DTA")]))
    session.commit()
    person = make_user(email="casey@partners.dta.gov.au", contractor=True)
    signed_in(admin_of=[_agency(session, "DTA")])

    web.post(f"/admin/people/{person.id}/contractor", {"contractor": "0"})

    session.refresh(person)
    assert person.is_contractor


def test_an_admin_of_the_new_agency_moves_a_person_in(web, session, make_user, signed_in):
    person = make_user(email="dana@dta.gov.au")
    ato = _agency(session, "ATO")
    admin = signed_in(agency_abbreviation="ATO", admin_of=[ato])

    response = web.post(f"/admin/agencies/{ato.id}/people/add", {"move-email": "dana@dta.gov.au"})

    assert response.status_code == 302
    session.refresh(person)
    assert person.agency_id == ato.id
    [moved] = _events(session, person, "agency_moved")
    assert (moved.actor_id, moved.data["how"], moved.data["from_agency"]) == (admin.id, "admin",
                                                                                "Digital Transformation Agency")


def test_an_admin_of_another_agency_cannot_move_a_person(web, session, make_user, signed_in):
    person = make_user(email="dana@dta.gov.au")
    signed_in(agency_abbreviation="DSS", admin_of=[_agency(session, "DSS")])

    response = web.post(f"/admin/people/{person.id}/agency", {"agency_id": str(_agency(session, "ATO").id)})

    assert response.status_code == 403
    session.refresh(person)
    assert person.agency.abbreviation == "DTA"


def test_an_admin_of_their_agency_corrects_the_choice_among_a_shared_domains_agencies(web, session, make_user,
                                                                                     signed_in):
    ato, abs_ = _agency(session, "ATO"), _agency(session, "ABS")
    session.add(EmailDomain(domain="shared.gov.au", agencies=[ato, abs_]))
    session.commit()
    person = make_user(email="sam@shared.gov.au", agency_abbreviation="ATO")
    signed_in(agency_abbreviation="ATO", admin_of=[ato])

    assert web.post(f"/admin/people/{person.id}/agency", {"agency_id": str(abs_.id)}).status_code == 302
    session.refresh(person)
    assert person.agency_id == abs_.id
    # ...but cannot send them to an agency that does not share the domain
    assert web.post(f"/admin/people/{person.id}/agency",
                    {"agency_id": str(_agency(session, "DTA").id)}).status_code == 403



def test_a_vouched_for_address_brings_its_agency_with_an_audit_event(session, make_user):
    person = make_user(email="dana@ato.gov.au")  # recorded with the DTA

    follow_verified_address(session, person)

    assert person.agency.abbreviation == "ATO"
    assert _events(session, person, "agency_moved")[0].data["how"] == "verified_address"


def test_a_vouched_for_shared_domain_address_keeps_the_persons_choice(session, make_user):
    session.add(EmailDomain(domain="shared.gov.au", agencies=[_agency(session, "ATO"), _agency(session, "ABS")]))
    person = make_user(email="sam@shared.gov.au", agency_abbreviation="ABS")

    follow_verified_address(session, person)

    assert person.agency.abbreviation == "ABS" and not _events(session, person, "agency_moved")
