"""GET /api/v1/opportunities/{id}/questions: the questions the opportunity's page shows the caller (one rule)."""
from __future__ import annotations

from tests.support import factories


def _questions(client, headers, opportunity_id: int):
    return client.get(f"/api/v1/opportunities/{opportunity_id}/questions", headers=headers)


def test_a_reader_gets_the_answered_questions_and_their_own_waiting_one(client, session, token_for, make_user):
    owner = make_user(name="Olive Owner")
    reader, headers = token_for(name="Rae Reader")
    opportunity = factories.open_opportunity(session, owner)
    answered = factories.question(session, opportunity, state="answered", body="Is it remote?", answer="Yes.")
    mine = factories.question(session, opportunity, session.merge(reader), body="Two days a week?")
    factories.question(session, opportunity, body="Someone else's, unanswered")
    factories.question(session, opportunity, state="hidden", body="Spam")
    session.commit()

    response = _questions(client, headers, opportunity.id)

    assert response.status_code == 200
    items = {item["id"]: item for item in response.json["items"]}
    assert set(items) == {answered.id, mine.id} and response.json["total"] == 2
    assert (items[answered.id]["answer"], items[answered.id]["state"]) == ("Yes.", "answered")
    assert (items[mine.id]["answer"], items[mine.id]["state"]) == (None, "open")
    assert "asker" not in items[answered.id]


def test_an_owner_gets_every_question(client, session, token_for):
    owner, headers = token_for()
    opportunity = factories.open_opportunity(session, session.merge(owner))
    for state in ("open", "answered", "hidden"):
        factories.question(session, opportunity, state=state)
    session.commit()

    assert _questions(client, headers, opportunity.id).json["total"] == 3


def test_an_opportunity_the_caller_may_not_see_is_a_404(client, session, token_for, make_user):
    owner = make_user()
    _, headers = token_for()
    draft = factories.opportunity(session, owner, state="draft")
    factories.question(session, draft, state="answered")
    session.commit()

    response = _questions(client, headers, draft.id)

    assert response.status_code == 404 and "error" in response.json


def test_the_questions_are_paged_as_the_document_says(client, session, token_for, make_user):
    owner = make_user()
    _, headers = token_for()
    opportunity = factories.open_opportunity(session, owner)
    for _ in range(3):
        factories.question(session, opportunity, state="answered")
    session.commit()

    first = client.get(f"/api/v1/opportunities/{opportunity.id}/questions?size=2", headers=headers).json
    second = client.get(f"/api/v1/opportunities/{opportunity.id}/questions?size=2&page=2", headers=headers).json

    assert (len(first["items"]), first["next_page"], len(second["items"]), second["next_page"]) == (2, 2, 1, None)
    assert client.get(f"/api/v1/opportunities/{opportunity.id}/questions?size=0", headers=headers).status_code == 422
