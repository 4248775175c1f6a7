"""API: search opportunities, read one, apply, list and withdraw my applications."""
from __future__ import annotations

from sqlalchemy import select

from portal.models import Application
from portal.text import ONE_LINE_MESSAGE
from tests.support import factories


def _open(session, owner, **fields):
    opportunity = factories.open_opportunity(session, owner, **fields)
    session.commit()
    return opportunity


APPLY = {"statement": "I have run many usability sessions.", "home_manager_name": "Hana Home",
         "home_manager_email": "hana.home@dta.gov.au"}


def test_search_finds_open_opportunities_with_facets(client, token_for, make_user, session):
    _, headers = token_for()
    _open(session, make_user(), title="User researcher for grants")
    _open(session, make_user(), title="Data engineer for payments")

    body = client.get("/api/v1/opportunities?q=grants", headers=headers).json

    assert [item["title"] for item in body["items"]] == ["User researcher for grants"]
    assert body["total"] == 1 and body["next_page"] is None and "mode" in body["facets"]


def test_restricted_opportunity_is_hidden_from_other_agencies(client, token_for, make_user, session):
    _, headers = token_for(agency_abbreviation="ATO")
    hidden = _open(session, make_user(agency_abbreviation="DTA"), restricted_to_agency=True)
    assert client.get("/api/v1/opportunities", headers=headers).json["total"] == 0
    response = client.get(f"/api/v1/opportunities/{hidden.id}", headers=headers)
    assert response.status_code == 404 and response.json["error"]["status"] == 404


def test_one_opportunity_says_what_the_reader_can_do(client, token_for, make_user, session):
    _, headers = token_for()
    opportunity = _open(session, make_user())
    body = client.get(f"/api/v1/opportunities/{opportunity.id}", headers=headers).json
    assert body["your_next_step"] == "apply" and body["positions_left"] == 1


def test_apply_and_withdraw_through_the_api(client, token_for, make_user, session, mailbox):
    user, headers = token_for()
    owner = make_user()
    opportunity = _open(session, owner)

    created = client.post(f"/api/v1/opportunities/{opportunity.id}/applications", json=APPLY, headers=headers)

    assert created.status_code == 201 and created.json["state"] == "applied"
    mailbox.wait_for_to(owner.email)
    mine = client.get("/api/v1/applications", headers=headers).json
    assert [item["id"] for item in mine["items"]] == [created.json["id"]]
    again = client.post(f"/api/v1/opportunities/{opportunity.id}/applications", json=APPLY, headers=headers)
    assert again.status_code == 409

    withdrawn = client.post(f"/api/v1/applications/{created.json['id']}/withdraw", headers=headers)

    assert withdrawn.status_code == 200 and withdrawn.json["state"] == "withdrawn"
    assert client.post(f"/api/v1/applications/{created.json['id']}/withdraw", headers=headers).status_code == 409


def test_bad_application_gets_field_errors_and_stores_nothing(client, token_for, make_user, session):
    _, headers = token_for()
    opportunity = _open(session, make_user())
    response = client.post(f"/api/v1/opportunities/{opportunity.id}/applications",
                           json={"statement": "", "home_manager_name": "X", "home_manager_email": "x@gmail.com"},
                           headers=headers)
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"statement", "home_manager_email"}
    assert session.scalar(select(Application.id)) is None


def test_contractor_cannot_apply_through_the_api(client, token_for, make_user, session):
    _, headers = token_for(contractor=True)
    opportunity = _open(session, make_user())
    response = client.post(f"/api/v1/opportunities/{opportunity.id}/applications", json=APPLY, headers=headers)
    assert response.status_code == 403 and response.json["error"]["code"] == "cannot_apply"


def test_nobody_withdraws_another_persons_application(client, token_for, make_user, session):
    _, headers = token_for()
    applicant = make_user()
    opportunity = _open(session, make_user())
    session.add(Application(opportunity_id=opportunity.id, applicant_id=applicant.id, statement="Keen",
                            home_manager_name="H", home_manager_email="h@dta.gov.au"))
    session.commit()
    theirs = session.scalar(select(Application.id))
    assert client.post(f"/api/v1/applications/{theirs}/withdraw", headers=headers).status_code == 404


def test_search_pages_by_the_size_asked_for(client, token_for, make_user, session):
    _, headers = token_for()
    owner = make_user()
    for n in range(5):
        _open(session, owner, title=f"Opportunity number {n}")
    first = client.get("/api/v1/opportunities?size=2", headers=headers).json
    last = client.get("/api/v1/opportunities?size=2&page=3", headers=headers).json
    assert (len(first["items"]), first["total"], first["next_page"]) == (2, 5, 2)
    assert (len(last["items"]), last["next_page"]) == (1, None)
    assert client.get("/api/v1/opportunities?size=101", headers=headers).status_code == 422


def test_the_api_refuses_a_line_break_in_the_home_managers_name(client, token_for, session, make_user):
    user, headers = token_for()
    opening = factories.open_opportunity(session, make_user())
    session.commit()

    response = client.post(f"/api/v1/opportunities/{opening.id}/applications", headers=headers, json={
        "statement": "Keen", "home_manager_name": "Hana\nManager", "home_manager_email": "hana@dta.gov.au"})

    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["home_manager_name"] == [f"{ONE_LINE_MESSAGE} It must not be blank."]
    assert session.scalar(select(Application.id)) is None


def test_a_version_that_is_no_real_number_is_refused_when_withdrawing(client, token_for, make_user, session):
    user, headers = token_for()
    opportunity = _open(session, make_user())
    session.add(Application(opportunity_id=opportunity.id, applicant_id=user.id, statement="Keen", version=1,
                            home_manager_name="H", home_manager_email="h@dta.gov.au"))
    session.commit()
    mine = session.scalar(select(Application.id))

    answers = [client.post(f"/api/v1/applications/{mine}/withdraw", headers=headers, json={"version": version})
               for version in (2**31, 10**40, -1, True, "1")]

    assert [a.status_code for a in answers] == [422] * 5
    assert all("version" in a.json["error"]["fields"] for a in answers)
    session.expire_all()
    assert session.get(Application, mine).state == "applied"
