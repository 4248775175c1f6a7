"""JSON API: tokens, errors as JSON, pagination, rate limits, and the OpenAPI document."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import ApiToken, Notification


def test_token_is_shown_once_and_stored_hashed(web, signed_in):
    signed_in()
    page = web.submit("/profile/api-tokens/", {"name": "Team dashboard"}).get_data(as_text=True)
    secret = re.search(r'id="new-token" readonly value="(oaps_[^"]+)"', page).group(1)

    stored = db.session.scalars(select(ApiToken)).one()
    assert secret not in stored.token_hash and stored.prefix == secret[:10]
    assert secret not in web.get("/profile/api-tokens/").get_data(as_text=True)
    assert web.client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_revoked_token_stops_working(web, signed_in, token_for):
    user = signed_in()
    _, headers = token_for(user)
    token_id = db.session.scalar(select(ApiToken.id))
    web.get("/profile/api-tokens/")
    web.post(f"/profile/api-tokens/{token_id}/revoke")
    response = web.client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorised"


def test_someone_cannot_revoke_another_persons_token(web, signed_in, token_for):
    owner, headers = token_for()
    token_id = db.session.scalar(select(ApiToken.id))
    signed_in()
    web.get("/profile/api-tokens/")
    web.post(f"/profile/api-tokens/{token_id}/revoke")
    assert web.client.get("/api/v1/me", headers=headers).status_code == 200


def test_missing_or_wrong_token_gets_a_json_401(client):
    for headers in ({}, {"Authorization": "Bearer oaps_wrong"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.json["error"]["message"].startswith("Send a valid personal API token")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_disabled_persons_token_is_refused(client, token_for, session):
    user, headers = token_for()
    from workflows import clock

    session.merge(user).disabled_at = clock.utcnow()
    session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_me_describes_the_token_owner(client, token_for):
    user, headers = token_for(name="Api Person")
    body = client.get("/api/v1/me", headers=headers).json
    assert body["name"] == "Api Person" and body["email"] == user.email


def test_notifications_are_paged_and_only_mine(client, token_for, make_user, session):
    user, headers = token_for()
    other = make_user()
    session.add_all([Notification(user_id=user.id, category="my_applications", title=f"Update {n}") for n in range(25)]
                    + [Notification(user_id=other.id, category="my_applications", title="Not yours")])
    session.commit()

    first = client.get("/api/v1/notifications?size=10", headers=headers).json
    last = client.get("/api/v1/notifications?size=10&page=3", headers=headers).json

    assert (first["total"], len(first["items"]), first["next_page"]) == (25, 10, 2)
    assert (len(last["items"]), last["next_page"]) == (5, None)
    assert all(item["title"] != "Not yours" for item in first["items"] + last["items"])


def test_bad_paging_gets_field_errors(client, token_for):
    _, headers = token_for()
    response = client.get("/api/v1/notifications?size=500&page=zero", headers=headers)
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"size", "page"}


def test_marking_another_persons_notification_read_is_404(client, token_for, make_user, session):
    _, headers = token_for()
    other = make_user()
    notice = Notification(user_id=other.id, category="my_applications", title="Theirs")
    session.add(notice)
    session.commit()
    response = client.post(f"/api/v1/notifications/{notice.id}/read", headers=headers)
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_unknown_endpoint_and_wrong_method_answer_in_json(client, token_for):
    _, headers = token_for()
    assert client.get("/api/v1/nothing-here", headers=headers).json["error"]["status"] == 404
    response = client.delete("/api/v1/me", headers=headers)
    assert response.status_code == 405 and response.json["error"]["status"] == 405


def test_api_is_rate_limited_per_token(client, token_for):
    _, headers = token_for()
    statuses = [client.get("/api/v1/me", headers=headers).status_code for _ in range(41)]
    assert statuses[-1] == 429 and statuses[0] == 200


def test_openapi_document_is_public_and_3_1(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0" and "/notifications" in document["paths"]
