"""Every API request is validated against the OpenAPI document the API publishes: a 422 naming the field,
and nothing changed."""
from __future__ import annotations

import jsonschema_rs
import pytest
import schemathesis
from sqlalchemy import select

from portal.api.blueprint import operation_path
from portal.models import Application, Notification
from tests.support import factories

APPLY = {"statement": "I have run many usability sessions.", "home_manager_name": "Hana Home",
         "home_manager_email": "hana.home@dta.gov.au"}


@pytest.fixture
def applied(token_for, make_user, session):
    """A person with a token and one live application of theirs."""
    user, headers = token_for()
    opportunity = factories.open_opportunity(session, make_user())
    application = Application(opportunity_id=opportunity.id, applicant_id=user.id, statement="Keen",
                              home_manager_name="Hana Home", home_manager_email="hana.home@dta.gov.au")
    session.add(application)
    session.commit()
    return headers, application.id


def _state(session, application_id: int) -> str:
    session.expire_all()
    return session.scalar(select(Application.state).where(Application.id == application_id))


def _fields(response) -> dict:
    assert response.status_code == 422, response.get_data(as_text=True)
    return response.json["error"]["fields"]


def test_a_json_array_does_not_withdraw_an_application(client, applied, session):
    headers, application_id = applied
    response = client.post(f"/api/v1/applications/{application_id}/withdraw", json=[], headers=headers)
    assert _fields(response) == {"body": ["Must be a JSON object."]}
    assert _state(session, application_id) == "applied"


def test_a_version_that_is_not_a_whole_number_withdraws_nothing(client, applied, session):
    headers, application_id = applied
    for version in ("1", True, 2 ** 40, 0):
        response = client.post(f"/api/v1/applications/{application_id}/withdraw", json={"version": version},
                               headers=headers)
        assert set(_fields(response)) == {"version"}
    assert _state(session, application_id) == "applied"


def test_an_unknown_field_is_refused_by_name(client, applied, session):
    headers, application_id = applied
    response = client.post(f"/api/v1/applications/{application_id}/withdraw", json={"version": 1, "why": "x"},
                           headers=headers)
    assert _fields(response) == {"why": ["This field is not part of this request."]}
    assert _state(session, application_id) == "applied"


def test_a_field_given_twice_is_refused(client, applied, session):
    headers, application_id = applied
    response = client.post(f"/api/v1/applications/{application_id}/withdraw", data='{"version": 1, "version": 2}',
                           content_type="application/json", headers=headers)
    assert _fields(response) == {"version": ["Give this field once."]}
    assert _state(session, application_id) == "applied"


def test_an_object_where_text_is_required_is_refused_not_dropped(client, token_for, make_user, session):
    _, headers = token_for()
    opportunity = factories.open_opportunity(session, make_user())
    session.commit()
    body = dict(APPLY, relevant_skills={"skills": ["research"]}, availability=["Tuesdays"])
    response = client.post(f"/api/v1/opportunities/{opportunity.id}/applications", json=body, headers=headers)
    assert _fields(response) == {"relevant_skills": ["Must be text."], "availability": ["Must be text."]}
    assert session.scalar(select(Application.id)) is None


def test_apply_names_every_field_at_fault(client, token_for, make_user, session):
    _, headers = token_for()
    opportunity = factories.open_opportunity(session, make_user())
    session.commit()
    body = {"statement": "   ", "home_manager_name": "Hana\r\nBcc: someone@example.com",
            "home_manager_email": "hana@example.com", "cv": "a.pdf"}
    fields = _fields(client.post(f"/api/v1/opportunities/{opportunity.id}/applications", json=body, headers=headers))
    assert set(fields) == {"statement", "home_manager_name", "home_manager_email", "cv"}
    assert fields["home_manager_name"] == ["Use one line of ordinary text: remove line breaks, tabs and invisible "
                                           "characters. It must not be blank."]
    assert "gov.au" in fields["home_manager_email"][0]
    assert session.scalar(select(Application.id)) is None


def test_a_body_that_is_not_json_changes_nothing(client, applied, session):
    headers, application_id = applied
    url = f"/api/v1/applications/{application_id}/withdraw"
    assert client.post(url, data="version=1", content_type="application/x-www-form-urlencoded",
                       headers=headers).status_code == 415
    malformed = client.post(url, data="{\"version\": ", content_type="application/json", headers=headers)
    assert malformed.status_code == 400 and malformed.json["error"]["code"] == "malformed_json"
    deep = client.post(url, data="[" * 100_000, content_type="application/json", headers=headers)
    assert deep.status_code == 400
    assert _state(session, application_id) == "applied"


def test_a_body_sent_where_none_is_defined_is_refused(client, token_for, session):
    user, headers = token_for()
    notice = Notification(user_id=user.id, category="my_applications", title="Update")
    session.add(notice)
    session.commit()
    response = client.post(f"/api/v1/notifications/{notice.id}/read", json={"read": False}, headers=headers)
    assert set(_fields(response)) == {"body"}
    session.expire_all()
    assert session.get(Notification, notice.id).read_at is None


@pytest.mark.parametrize("query, field", [
    ("page=1&page=2", "page"), ("q=grants&q=payments", "q"), ("sort=newest&sort=closing", "sort"),
    ("closing=1&closing=1", "closing")])
def test_a_repeated_query_parameter_is_refused(client, token_for, query, field):
    _, headers = token_for()
    assert _fields(client.get(f"/api/v1/opportunities?{query}", headers=headers)) == {
        field: ["Give this parameter once."]}


@pytest.mark.parametrize("url, field", [
    ("/api/v1/me?verbose=1", "verbose"), ("/api/v1/opportunities?skills=1", "skills"),
    ("/api/v1/opportunities?kind=party", "kind"), ("/api/v1/opportunities?skill=python", "skill"),
    ("/api/v1/opportunities?skill=99999999999999999999999", "skill"), ("/api/v1/notifications?unread=yes", "unread"),
    ("/api/v1/applications?size=0", "size")])
def test_an_unknown_parameter_or_value_is_refused_by_name(client, token_for, url, field):
    _, headers = token_for()
    assert set(_fields(client.get(url, headers=headers))) == {field}


def test_a_list_parameter_takes_many_values(client, token_for, make_user, session):
    _, headers = token_for()
    factories.open_opportunity(session, make_user(), work_mode="remote")
    session.commit()
    response = client.get("/api/v1/opportunities?mode=remote&mode=hybrid&kind=project", headers=headers)
    assert response.status_code == 200 and response.json["total"] == 1


def test_an_id_beyond_the_database_range_is_refused(client, token_for):
    """422 naming the id by the document's range, or 404 where the URL's id converter refuses it first."""
    _, headers = token_for()
    for url in ("/api/v1/opportunities/2147483648", "/api/v1/applications/9223372036854775808/withdraw"):
        response = client.open(url, method="POST" if url.endswith("withdraw") else "GET", headers=headers)
        assert response.status_code in (404, 422) and response.json["error"]["status"] == response.status_code
        if response.status_code == 422:
            assert set(response.json["error"]["fields"]) <= {"opportunity_id", "application_id"}


def test_trace_and_other_unsupported_methods_answer_405_with_allow(client, token_for):
    _, headers = token_for()
    for method, url in (("TRACE", "/api/v1/me"), ("PUT", "/api/v1/opportunities"), ("TRACE", "/"),
                        ("DELETE", "/api/v1/applications/1/withdraw")):
        response = client.open(url, method=method, headers=headers)
        assert response.status_code == 405, (method, url)
        allowed = {m.strip() for m in response.headers["Allow"].split(",")}
        assert method not in allowed and ({"GET", "HEAD"} <= allowed or allowed >= {"POST"})


def test_options_lists_the_methods_without_a_token_and_head_answers_like_get(client, token_for):
    options = client.options("/api/v1/opportunities")
    assert options.status_code == 200 and set(options.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    _, headers = token_for()
    head = client.head("/api/v1/me", headers=headers)
    assert head.status_code == 200 and head.data == b"" and head.content_type == "application/json"
    assert client.head("/api/v1/me").status_code == 401
    assert client.head("/api/v1/me?x=1", headers=headers).status_code == 422


def test_every_endpoint_is_an_operation_of_the_document_and_back(app, client):
    published = client.get("/api/v1/openapi.json").json
    documented = {(path, method.upper()) for path, methods in published["paths"].items() for method in methods}
    routed = {(operation_path(rule.rule), method) for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routed == documented


def test_the_openapi_document_is_valid_openapi_3_1(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    schema.validate()
    for name, component in schema.raw_schema["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(component), name
