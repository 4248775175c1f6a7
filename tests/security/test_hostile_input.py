"""Hostile input in every field of every form the app renders, and in every API operation its OpenAPI document
lists: no 5xx, nothing rendered as markup, and nothing stored that the forms refuse.

The forms are found from the app itself (hostile_world.page_urls: every route, every record, every e-mailed
link, read as every kind of person), each field is typed from its HTML (text, number, date, choice, file,
hidden) and gets that type's corpus, one field at a time with the rest filled as a person would. Every
FlaskForm class in the portal must have been validated on the way, so a form no page shows fails the test.
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlencode

from flask_wtf import FlaskForm

from portal.extensions import limiter
from tests.conftest import sign_in
from tests.security import hostile_world
from tests.security.hostile_world import CORPUS, NOT_POSTED, SCRIPT
from tests.support.forms import Form, forms_on
from workflows import clock

ECHOED = (SCRIPT, "<img src=x onerror")


def _form_classes() -> set[type]:
    found, todo = set(), [FlaskForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            todo.append(subclass)
            if subclass.__module__.startswith("portal."):
                found.add(subclass)
    return found


def _validated(monkeypatch) -> set[type]:
    """The form classes whose validate() ran: which forms a request actually reached."""
    seen: set[type] = set()
    original = FlaskForm.validate

    def validate(self, *args, **kwargs):
        seen.add(type(self))
        return original(self, *args, **kwargs)
    monkeypatch.setattr(FlaskForm, "validate", validate)
    return seen


def _as(web, person) -> None:
    """Switch person; the sign-in rate limit starts again (the anonymous round posts to the sign-in form)."""
    with web.client.application.app_context():
        limiter.reset()
    web.post("/sign-out")
    web.client.delete_cookie("session")
    if person is not None:
        sign_in(web, person)


def _baseline(form: Form, email: str) -> dict[str, list]:
    """What a person would send: the page's values, and plain answers where the page left a box empty."""
    data = {name: list(values) for name, values in form.values.items()}
    later = (clock.canberra_today() + timedelta(days=20)).isoformat()
    plain = {"email": email, "password": "a long enough password", "number": "1", "date": later}
    for name, kind in form.fields.items():
        if not any(data.get(name, [""])):
            data[name] = [plain.get(kind, "Plain words")]
    for name, options in form.options.items():
        real = [o for o in options if o not in ("", "0")]
        if not data.get(name) and real:
            data[name] = real[:1]
    return data


def _forms(web, world, urls) -> list[tuple[str, str, Form]]:
    """(person, page, form) for each distinct form, as the first person who sees it; a search form's results
    page is read too (its "save this search" form shows only there). Signing-out forms are left out."""
    found, seen = [], set()
    for role, person in world.people.items():
        _as(web, person)
        pages = list(urls)
        while pages:
            url = pages.pop(0)
            response = web.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            for form in forms_on(response.get_data(as_text=True), url):
                names = tuple(sorted(set(form.fields) | set(form.options) | set(form.files) | set(form.hidden)
                                     - {"csrf_token"}))
                key = (re.sub(r"\d+", "N", form.action.split("?")[0]), form.method, names)
                if names and key not in seen and not form.action.startswith(NOT_POSTED):
                    seen.add(key)
                    found.append((role, url, form))
                    if form.method == "get":
                        pages.append(form.action.split("?")[0] + "?" + urlencode(_baseline(form, ""), doseq=True))
    return found


def _send(web, form: Form, data: dict[str, list]):
    """Send the form with this session's CSRF token, as the browser that drew the page would."""
    data.update({name: [web.token] for name in form.hidden if name.endswith("csrf_token")})
    if form.method == "get":
        return web.client.get(form.action.split("?")[0], query_string=data)
    if form.files:
        return web.post(form.action, data, content_type="multipart/form-data")
    return web.post(form.action, data)


def test_hostile_values_in_every_field_of_every_form_the_app_renders(app, web, session, settings, monkeypatch):
    validated = _validated(monkeypatch)
    world = hostile_world.build(session, settings)
    forms = _forms(web, world, hostile_world.page_urls(app, world))
    by_person: dict[str, list] = defaultdict(list)
    for role, url, form in forms:
        by_person[role].append((url, form))
    posted = 0
    for role in ("anonymous", "applicant", "home_manager", "approver", "site_admin"):
        person = world.people[role]
        _as(web, person)
        for url, form in by_person[role]:
            web.get(url)
            for name in [*form.fields, *form.options, *form.files, *form.hidden]:
                if name == "csrf_token":
                    continue
                for payload in CORPUS[form.kind_of(name)]:
                    data = _baseline(form, person.email if person else "new.person@dta.gov.au")
                    data[name] = hostile_world.upload(payload) if name in form.files else [payload]
                    response = _send(web, form, data)
                    body = response.get_data(as_text=True)
                    where = f"{role} {form.method.upper()} {form.action} {name}={str(payload)[:30]!r}"
                    assert response.status_code < 500, f"{where} answered {response.status_code}"
                    assert not any(markup in body for markup in ECHOED), f"{where} echoed markup"
                    posted += 1

    print(f"\nposted {posted} hostile values to {len(forms)} forms")
    unreached = {cls.__module__ + "." + cls.__name__ for cls in _form_classes() - validated}
    assert not unreached, f"no page rendered these forms, so no hostile value reached them: {sorted(unreached)}"
    session.rollback()
    assert hostile_world.refused_values_stored(session) == []


def _schema(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _kind(schema: dict) -> str:
    types = schema.get("type", "string")
    types = types if isinstance(types, list) else [types]
    if "integer" in types:
        return "number"
    return "choice" if "enum" in schema or "array" in types else "text"


def test_hostile_values_in_every_api_operation(app, client, session, settings):
    world = hostile_world.build(session, settings)
    headers = {"Authorization": f"Bearer {world.bearer['applicant']}"}
    document = client.get("/api/v1/openapi.json").get_json()
    asked = 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            in_path = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
            urls = ["/api/v1" + path.format(**{name: value for name in in_path})
                    for value in ({v for name in in_path for v in world.ids.get(name, [])} or {0})]
            calls = []
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    calls += [{"query_string": {parameter["name"]: payload}}
                              for payload in CORPUS[_kind(parameter["schema"])]]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                properties = _schema(document, body).get("properties", {})
                calls += [{"json": {name: payload}} for name, schema in properties.items()
                          for payload in CORPUS[_kind(_schema(document, schema))]]
                calls += [{"json": whole} for whole in ([], "x", None, 7, {"statement": {"$gt": ""}}, [{}])]
                calls.append({"data": b"{not json", "content_type": "application/json"})
            for url in urls:
                for call in calls or [{}]:
                    response = client.open(url, method=method.upper(), headers=headers, **call)
                    assert response.status_code < 500, f"{method.upper()} {url} {str(call)[:80]} answered " \
                                                       f"{response.status_code}"
                    asked += 1
    print(f"\nasked the API {asked} hostile questions")
    session.rollback()
    assert hostile_world.refused_values_stored(session) == []


def test_digits_from_other_scripts_in_query_strings_are_ignored_not_a_500(web, signed_in):
    """'²' and '٣' are digits to str.isdigit() but not to int(): filters and paging must cope."""
    signed_in(site_admin=True)
    for path in ("/opportunities?skill=%C2%B2&agency=%D9%A3&page=%C2%B2", "/admin/audit?record_id=%C2%B2"):
        assert web.get(path).status_code < 500


def test_page_numbers_with_thousands_of_digits_are_read_as_the_first_page(web, signed_in, client, session, settings):
    """int() refuses a string of more than 4,300 digits with a ValueError: paging must not hand it one."""
    world = hostile_world.build(session, settings)
    headers = {"Authorization": f"Bearer {world.bearer['applicant']}"}
    signed_in(site_admin=True)
    assert web.get("/opportunities?page=" + "9" * 5000).status_code == 200
    assert client.get("/api/v1/notifications?page=" + "9" * 5000, headers=headers).status_code == 422
