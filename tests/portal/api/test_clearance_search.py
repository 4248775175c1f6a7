"""API search: "cleared=1" lists what the token holder's clearance meets (users.clearances_met_by)."""
from __future__ import annotations

from portal.models.users import CLEARANCES
from tests.support import factories


def test_the_api_filters_by_what_the_token_holder_holds(client, token_for, make_user, session):
    user, headers = token_for()
    for level in CLEARANCES:
        factories.open_opportunity(session, make_user(), title=f"Needs {level} job", clearance=level)
    session.merge(user).clearance = "baseline"
    session.commit()
    body = client.get("/api/v1/opportunities?cleared=1", headers=headers).json
    assert {item["title"] for item in body["items"]} == {"Needs none job", "Needs baseline job"}
    assert body["total"] == 2
    assert client.get("/api/v1/opportunities?cleared=yes", headers=headers).status_code == 422
