"""The opportunity page's blank ask form is rendered once an opportunity and kept (portal/cards.py): each viewer
gets it with their own token, and asking from it works."""
from __future__ import annotations

import re

import pytest

from portal.models import Question
from tests.conftest import sign_in
from tests.support import factories
from tests.support.web import Web

ASK_TOKEN = re.compile(r'questions/new" novalidate class="form">\s*<input id="csrf_token" name="csrf_token" '
                       r'type="hidden" value="([^"]+)"')


@pytest.fixture
def opening(session, make_user):
    owner = make_user(name="Olive Owner", email="olive.owner@dta.gov.au")
    found = factories.open_opportunity(session, owner)
    session.commit()
    return found


def test_each_viewer_gets_the_kept_form_with_their_own_token(app, make_user, opening, session, kept_cards):
    """Two people in two browsers, from different agencies."""
    tokens = []
    for name, email in (("Ari Applicant", "ari.applicant@ato.gov.au"), ("Bo Builder", "bo.builder@finance.gov.au")):
        web = Web(app.test_client())
        sign_in(web, make_user(name=name, email=email))
        page = web.get(f"/opportunities/{opening.id}").get_data(as_text=True)
        tokens.append(ASK_TOKEN.search(page).group(1))
        assert tokens[-1] == web.token and 'id="body"' in page

    assert kept_cards.count("ask-form") == 1 and tokens[0] != tokens[1]
    response = web.post(f"/opportunities/{opening.id}/questions/new",
                        {"csrf_token": tokens[1], "body": "Can I work on this from Hobart?"})
    assert response.status_code == 302
    assert session.query(Question).filter_by(opportunity_id=opening.id).count() == 1
