"""Who may apply: the apply page, the API resource and the opportunity page's button ask one rule
(portal.opportunities.policy.cannot_apply), after the one rule of who may see it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import sign_in
from tests.support import factories
from workflows import clock

APPLY_FORM = {"statement": "I have built three dashboards.", "home_manager_name": "Hana Manager",
              "home_manager_email": "hana.manager@dta.gov.au"}


def _case(session, make_user, case: str):
    """An opportunity and a person for one apply case; returns (opportunity, person)."""
    owner = make_user()
    person = make_user(contractor=case == "contractor")
    today = clock.canberra_today()
    fields = {"open": {}, "contractor": {}, "paused": {"accepting_applications": False},
              "deadline": {"deadline": today - timedelta(days=1)}, "matched": {"state": "matched"},
              "expired": {"state": "expired"}, "cancelled": {"state": "cancelled"}, "owner": {},
              "applied": {}, "restricted": {"restricted_to_agency": True}}[case]
    fields.setdefault("state", "open")
    if case == "restricted":
        fields["host_agency"] = factories.agency(session, "ATO")
    opportunity = factories.open_opportunity(session, person if case == "owner" else owner, **fields)
    if case == "applied":
        factories.application(session, opportunity, person)
    session.commit()
    return opportunity, person


CASES = {"open": (200, 201), "contractor": (403, 403), "owner": (403, 403), "applied": (409, 409),
         "paused": (409, 409), "deadline": (409, 409), "matched": (409, 409), "expired": (404, 404),
         "cancelled": (404, 404), "restricted": (404, 404)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_apply_page_and_the_api_give_the_same_answer(web, client, session, make_user, token_for, case):
    opportunity, person = _case(session, make_user, case)
    _, headers = token_for(person)
    page_status, api_status = CASES[case]

    sign_in(web, person)
    assert web.get(f"/opportunities/{opportunity.id}/apply").status_code == (200 if case == "open" else page_status)
    response = client.post(f"/api/v1/opportunities/{opportunity.id}/applications", json=APPLY_FORM, headers=headers)

    assert response.status_code == api_status, response.get_data(as_text=True)
    shown = web.get(f"/opportunities/{opportunity.id}")
    if page_status == 404:
        assert shown.status_code == 404
