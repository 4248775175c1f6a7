"""Places taken and positions open: the opportunity page, the API, the applicants page and the selection
guard give the same number (portal/opportunities/places.py)."""
from __future__ import annotations

import pytest

from portal.models import Application
from portal.opportunities import places
from tests.conftest import sign_in
from tests.portal.api.conftest import token_for  # noqa: F401  (a fixture)
from tests.support import factories

HOLDING = ("selected", "manager_approval", "confirmed")
NOT_HOLDING = ("applied", "shortlisted", "withdrawn", "not_selected", "manager_declined", "lapsed", "cancelled")


@pytest.mark.parametrize("state", HOLDING)
def test_everyone_holding_a_place_counts_the_same_on_every_page_and_the_api(web, client, session, make_user,
                                                                           token_for, state):
    owner = make_user()
    opportunity = factories.open_opportunity(session, owner, positions=2)
    factories.application(session, opportunity, state=state)
    factories.application(session, opportunity, state="applied")
    session.commit()
    _, headers = token_for()

    api = client.get(f"/api/v1/opportunities/{opportunity.id}", headers=headers).json
    sign_in(web, owner)
    page = web.get(f"/opportunities/{opportunity.id}").get_data(as_text=True)
    applicants = web.get(f"/opportunities/{opportunity.id}/applicants").get_data(as_text=True)

    assert api["positions_left"] == 1
    assert "1 of 2 positions open" in page and "1 of 2 positions open" in applicants
    assert places.positions_open_now(session, opportunity) == 1


@pytest.mark.parametrize("state", NOT_HOLDING)
def test_applications_not_holding_a_place_leave_every_position_open(session, make_user, state):
    opportunity = factories.open_opportunity(session, make_user(), positions=2)
    factories.application(session, opportunity, state=state)
    session.flush()

    assert places.positions_open_now(session, opportunity) == 2
    assert not any(places.holds_a_place(a) for a in session.query(Application).all())


def test_selecting_beyond_the_positions_open_is_refused(web, session, make_user):
    owner = make_user()
    opportunity = factories.open_opportunity(session, owner, positions=1)
    factories.application(session, opportunity, state="manager_approval")
    waiting = factories.application(session, opportunity, state="shortlisted")
    session.commit()
    sign_in(web, owner)
    web.get(f"/opportunities/{opportunity.id}/applicants")

    response = web.post(f"/applications/{waiting.id}/select")

    assert response.status_code == 409
    assert "Every position on this opportunity is already taken." in response.get_data(as_text=True)
    session.refresh(waiting)
    assert waiting.state == "shortlisted"
