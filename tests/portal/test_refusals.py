"""One way to refuse: domain code raises `Refused`; one handler answers with the page (or, for the API's
blueprint, the JSON body); a refusal about a form field is shown beside that field."""
from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from wtforms import StringField

from portal.errors import shown_on
from portal.models import User
from workflows import Refused, TransitionRefused


class NameForm(FlaskForm):
    name = StringField("Name")


def test_a_transition_refusal_is_a_refusal():
    assert issubclass(TransitionRefused, Refused)


def test_a_refusal_naming_a_field_is_shown_beside_it(app):
    with app.test_request_context("/", method="POST"):
        form = NameForm(meta={"csrf": False})
        with shown_on(form):
            raise Refused("You already have a saved search with this name.", 422, "name")
        assert form.name.errors == ["You already have a saved search with this name."]


def test_a_refusal_about_the_whole_form_is_shown_above_it(app):
    with app.test_request_context("/", method="POST"):
        form = NameForm(meta={"csrf": False})
        with shown_on(form):
            raise TransitionRefused("Before you submit, add a summary.")
        assert form.form_errors == ["Before you submit, add a summary."] and not form.name.errors


def test_a_refusal_that_is_not_about_the_form_reaches_the_handler(app):
    with app.test_request_context("/", method="POST"):
        form = NameForm(meta={"csrf": False})
        with pytest.raises(Refused):
            with shown_on(form):
                raise Refused("You are not allowed to do that.", 403)
        assert form.errors == {}


def test_an_admin_refusal_answers_with_a_page_that_says_why_and_changes_nothing(web, signed_in, session):
    admin = signed_in(site_admin=True)
    web.get(f"/admin/users/{admin.id}")
    response = web.post(f"/admin/users/{admin.id}/disable")
    assert response.status_code == 409
    assert "You cannot disable your own account." in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, admin.id).disabled_at is None


def test_pages_answer_in_html_whatever_the_client_prefers(web):
    response = web.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_the_api_answers_a_refusal_in_json(client):
    response = client.get("/api/v1/applications", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401 and response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == "unauthorised"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
