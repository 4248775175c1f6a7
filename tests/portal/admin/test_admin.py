"""Site and agency administration: every change audited, every page closed to those it is not for."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.admin.dormant import disable_dormant_accounts
from portal.extensions import db
from portal.models import Agency, Application, AuditEvent, Opportunity, Skill, User
from tests.conftest import sign_in
from tests.support import factories
from workflows import clock

SITE_ADMIN_PAGES = ["/admin/agencies", "/admin/skills", "/admin/users", "/admin/domains", "/admin/audit"]


def _agency(abbreviation):
    return db.session.scalar(select(Agency).where(Agency.abbreviation == abbreviation))


def _events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


@pytest.mark.parametrize("path", SITE_ADMIN_PAGES + ["/admin/"])
def test_plain_employee_gets_403_on_admin_pages(web, signed_in, path):
    signed_in()
    assert web.get(path).status_code == 403


@pytest.mark.parametrize("path", SITE_ADMIN_PAGES)
def test_agency_admin_cannot_open_site_admin_pages(web, signed_in, path):
    signed_in(admin_of=[_agency("DTA")])
    assert web.get(path).status_code == 403


@pytest.mark.parametrize("path", SITE_ADMIN_PAGES + ["/admin/"])
def test_site_admin_opens_every_admin_page(web, signed_in, path):
    signed_in(site_admin=True)
    assert web.get(path).status_code == 200


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/sign-in" in response.location


def test_agency_admin_sees_only_their_agencys_people(web, signed_in, make_user):
    dta, ato = _agency("DTA"), _agency("ATO")
    make_user(name="Dana Dta", agency_abbreviation="DTA")
    make_user(name="Otto Ato", agency_abbreviation="ATO")
    signed_in(admin_of=[dta])

    page = web.get(f"/admin/agencies/{dta.id}/people").get_data(as_text=True)

    assert "Dana Dta" in page and "Otto Ato" not in page
    assert web.get(f"/admin/agencies/{ato.id}/people").status_code == 403
    assert web.get(f"/admin/agencies/{ato.id}/participations").status_code == 403


def test_agency_admin_sees_participations_of_their_agency(web, signed_in, make_user, session):
    dta = _agency("DTA")
    host = make_user(agency_abbreviation="ATO")
    participant = make_user(name="Pia Participant", agency_abbreviation="DTA")
    opportunity = Opportunity(title="Data clean-up sprint", creator_id=host.id, owner_id=host.id, state="open",
                              host_agency_id=host.agency_id)
    session.add(opportunity)
    session.flush()
    session.add(Application(opportunity_id=opportunity.id, applicant_id=participant.id, state="confirmed",
                            statement="Keen", home_manager_name="Hana Home", home_manager_email="hana@dta.gov.au"))
    session.commit()
    signed_in(admin_of=[dta])

    page = web.get(f"/admin/agencies/{dta.id}/participations").get_data(as_text=True)

    assert "Pia Participant" in page and "Data clean-up sprint" in page


def test_site_admin_adds_and_renames_an_agency_with_audit(web, signed_in):
    signed_in(site_admin=True)
    assert web.submit("/admin/agencies", {"name": "Office of Testing", "abbreviation": "OOT"}).status_code == 302
    agency = _agency("OOT")
    web.submit(f"/admin/agencies/{agency.id}", {"name": "Office of Better Testing", "abbreviation": "OOT"})
    db.session.expire_all()
    assert db.session.get(Agency, agency.id).name == "Office of Better Testing"
    assert {e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "agency"))} \
        == {"added", "edited"}


def test_merging_agencies_moves_people_and_retires_the_duplicate(web, signed_in, make_user):
    admin = signed_in(site_admin=True)
    web.submit("/admin/agencies", {"name": "Digital Transformation Agncy", "abbreviation": "DTA2"})
    duplicate, kept = _agency("DTA2"), _agency("DTA")
    person = make_user(agency_abbreviation="DTA2")
    person.admin_of = [duplicate]
    db.session.commit()

    web.get(f"/admin/agencies/{duplicate.id}")
    web.post(f"/admin/agencies/{duplicate.id}/merge", {"merge-target_id": str(kept.id)})

    db.session.expire_all()
    assert db.session.get(User, person.id).agency_id == kept.id
    assert [a.id for a in db.session.get(User, person.id).admin_of] == [kept.id]
    assert db.session.get(Agency, duplicate.id).active is False
    assert _events("merged")[0].actor_id == admin.id


def test_bad_agency_input_is_shown_next_to_the_field(web, signed_in):
    signed_in(site_admin=True)
    response = web.submit("/admin/agencies", {"name": ""})
    assert response.status_code == 422 and 'id="name-error"' in response.get_data(as_text=True)
    response = web.submit("/admin/agency-domains", {"domain": "not a domain", "agency_id": "0"})
    assert response.status_code == 422 and "without the @" in response.get_data(as_text=True)


def test_retired_skill_stays_on_old_records_but_cannot_be_chosen(web, signed_in, session):
    user = signed_in(site_admin=True)
    skill = session.scalar(select(Skill).order_by(Skill.id))
    user.skills = [skill]
    session.commit()

    web.get("/admin/skills")
    web.post(f"/admin/skills/{skill.id}/retire", {"retire": "1"})

    session.expire_all()
    assert [s.id for s in session.get(User, user.id).skills] == [skill.id]
    assert f'id="skill-{skill.id}"' not in web.get("/profile").get_data(as_text=True)
    assert _events("retired")


def test_renaming_a_skill_to_an_existing_name_is_refused(web, signed_in, session):
    signed_in(site_admin=True)
    first, second = session.scalars(select(Skill).order_by(Skill.id).limit(2)).all()
    response = web.submit(f"/admin/skills/{second.id}", {"name": first.name, "family": second.family})
    assert response.status_code == 422 and "already exists" in response.get_data(as_text=True)


def test_disabling_someone_signs_them_out_and_is_audited(app, web, signed_in, make_user):
    target = make_user()
    other = app.test_client()
    from tests.support.web import Web

    target_web = Web(other)
    sign_in(target_web, target)
    assert target_web.get("/profile").status_code == 200

    signed_in(site_admin=True)
    web.get(f"/admin/users/{target.id}")
    web.post(f"/admin/users/{target.id}/disable")

    assert target_web.get("/profile").status_code == 302
    refused = target_web.submit("/sign-in", {"email": target.email, "password": factories.PASSWORD})
    assert "disabled" in refused.get_data(as_text=True)
    assert _events("disabled")


def test_admin_cannot_disable_themselves(web, signed_in):
    admin = signed_in(site_admin=True)
    web.get(f"/admin/users/{admin.id}")
    web.post(f"/admin/users/{admin.id}/disable")
    db.session.expire_all()
    assert db.session.get(User, admin.id).disabled_at is None


def test_granting_and_revoking_agency_admin(web, signed_in, make_user):
    signed_in(site_admin=True)
    person, dta = make_user(), _agency("DTA")
    web.get(f"/admin/users/{person.id}")
    web.post(f"/admin/users/{person.id}/agency-admin", {"grant-agency_id": str(dta.id)})
    db.session.expire_all()
    assert [a.id for a in db.session.get(User, person.id).admin_of] == [dta.id]
    web.post(f"/admin/users/{person.id}/agency-admin/{dta.id}/revoke")
    db.session.expire_all()
    assert db.session.get(User, person.id).admin_of == []
    assert {e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.record_id == person.id))} \
        >= {"agency_admin_granted", "agency_admin_revoked"}


def test_user_search_finds_by_name_or_e_mail(web, signed_in, make_user):
    make_user(name="Quentin Searchable", email="quentin@dta.gov.au")
    make_user(name="Someone Else")
    signed_in(site_admin=True)
    page = web.get("/admin/users?q=searchab").get_data(as_text=True)
    assert "Quentin Searchable" in page and "Someone Else" not in page


def test_managers_domains_list_replaces_the_default_for_managers_only(web, signed_in, session):
    signed_in(site_admin=True)
    web.submit("/admin/domains", {"domain": "@Example.GOV.au"})
    profile = {"name": "Site Admin", "supervisor_name": "Mo Manager"}

    assert web.submit("/profile", dict(profile, supervisor_email="mo@ato.gov.au")).status_code == 422
    assert web.submit("/profile", dict(profile, supervisor_email="mo@team.example.gov.au")).status_code == 302
    web.post("/sign-out")
    data = {"name": "New Person", "password": "a long enough password", "confirm": "a long enough password"}
    assert web.submit("/register", dict(data, email="b@team.example.gov.au")).status_code == 422, \
        "registration follows the agencies' domains, not the managers' list"
    assert web.submit("/register", dict(data, email="a@ato.gov.au")).status_code == 200


def test_audit_log_filters_by_person_and_refuses_bad_dates(web, signed_in, make_user):
    admin = signed_in(site_admin=True)
    web.submit("/admin/domains", {"domain": "example.gov.au"})
    page = web.get(f"/admin/audit?person={admin.email}&action=domain_added").get_data(as_text=True)
    assert "domain added" in page
    bad = web.get("/admin/audit?date_from=31/12/2026")
    assert bad.status_code == 422 and "Enter a date like" in bad.get_data(as_text=True)


def test_audit_log_refuses_a_record_number_no_record_can_have(web, signed_in):
    signed_in(site_admin=True)

    for typed in ("2147483648", "99999999999", "0"):
        response = web.get(f"/admin/audit?record_id={typed}")

        assert response.status_code == 422 and "Enter the record" in response.get_data(as_text=True), typed


def test_audit_log_refuses_dates_at_the_calendars_ends_rather_than_a_500(web, signed_in):
    signed_in(site_admin=True)
    for query in ("date_from=0001-01-01", "date_to=9999-12-31", "date_from=1899-12-31"):
        answer = web.get(f"/admin/audit?{query}")
        assert answer.status_code == 422 and "from 2000 to 2099" in answer.get_data(as_text=True), query


def test_admin_lists_read_a_page_number_past_any_real_one_as_the_first_page(web, signed_in):
    signed_in(site_admin=True)
    for path in ("/admin/audit", "/admin/users"):
        for page in ("99999999999999999999", "9223372036854775807", "9" * 5000, "-3", "%D9%A3"):
            assert web.get(f"{path}?page={page}").status_code == 200, (path, page[:20])


def test_site_admin_changes_an_opportunitys_owner(web, signed_in, make_user, session):
    old, new = make_user(), make_user(email="new.owner@dta.gov.au")
    opportunity = Opportunity(title="Accessibility audit", creator_id=old.id, owner_id=old.id)
    session.add(opportunity)
    session.commit()
    signed_in(site_admin=True)

    web.submit(f"/admin/opportunities/{opportunity.id}/owner", {"email": "new.owner@dta.gov.au"})

    session.expire_all()
    assert session.get(Opportunity, opportunity.id).owner_id == new.id
    assert _events("owner_changed")


def test_dormant_accounts_are_warned_then_disabled(make_user, mailbox, session):
    person = make_user(email="sleepy@dta.gov.au")
    person.last_login_at = clock.utcnow() - timedelta(days=3 * 365 - 20)
    session.commit()

    with db.transaction() as tx:
        assert disable_dormant_accounts(tx, False) == ["warn sleepy@dta.gov.au"]
    with db.transaction() as tx:
        assert disable_dormant_accounts(tx, False) == []
    mailbox.wait_for_to("sleepy@dta.gov.au", "will be closed")

    with clock.moved_by(timedelta(days=31)):
        with db.transaction() as tx:
            assert disable_dormant_accounts(tx, False) == [f"disable user {person.id}"]
    session.expire_all()
    assert session.get(User, person.id).disabled_at is not None
    assert _events("disabled_dormant")


def test_signing_in_after_the_warning_keeps_the_account(web, make_user, session):
    person = make_user()
    person.last_login_at = clock.utcnow() - timedelta(days=3 * 365 - 20)
    session.commit()
    with db.transaction() as tx:
        disable_dormant_accounts(tx, False)
    sign_in(web, person)
    with clock.moved_by(timedelta(days=31)):
        with db.transaction() as tx:
            assert disable_dormant_accounts(tx, False) == []
