"""Who sees which question: the SQL filter and the Python predicate of portal.questions.policy agree, for every
kind of viewer and every state; and who may ask."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.models import Question
from portal.opportunities.records import roles_for
from portal.questions import policy
from tests.support import factories

VIEWERS = ("owner", "coowner", "asker", "other_asker", "stranger", "admin_same", "admin_other", "site_admin",
           "approving_manager")


@pytest.fixture
def world(session):
    owner = factories.user(session, name="Olive Owner")
    coowner = factories.user(session, name="Cody Coowner")
    asker = factories.user(session, name="Ari Asker", agency_abbreviation="ATO")
    people = {"owner": owner, "coowner": coowner, "asker": asker,
              "other_asker": factories.user(session), "stranger": factories.user(session),
              "admin_same": factories.agency_admin(session, "DTA"),
              "admin_other": factories.agency_admin(session, "DSS"),
              "site_admin": factories.site_admin(session),
              "approving_manager": factories.user(session, email="morgan.manager@example.gov.au")}
    opportunity = factories.open_opportunity(session, owner, host_agency=factories.agency(session, "DTA"))
    opportunity.coowners = [coowner]
    for state in ("open", "answered", "hidden"):
        factories.question(session, opportunity, asker, state=state, body=f"Ari's {state} question")
        factories.question(session, opportunity, people["other_asker"], state=state, body=f"Another {state} question")
    session.flush()
    return people, opportunity


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_sql_filter_and_the_predicate_agree(session, world, viewer):
    people, opportunity = world
    user = people[viewer]
    roles = roles_for(user, opportunity)

    by_sql = set(session.scalars(select(Question.id).where(Question.opportunity_id == opportunity.id,
                                                           policy.shown_to(user.id, roles))))
    by_python = {q.id for q in session.scalars(select(Question)) if policy.is_shown(q, user, roles)}

    assert by_sql == by_python


def _shown(session, people, opportunity, viewer) -> set[str]:
    user = people[viewer]
    roles = roles_for(user, opportunity)
    return set(session.scalars(select(Question.body).where(policy.shown_to(user.id, roles))))


def test_answered_questions_are_shown_to_everyone_who_may_see_the_opportunity(session, world):
    people, opportunity = world
    for viewer in VIEWERS:
        assert {"Ari's answered question", "Another answered question"} <= _shown(session, people, opportunity, viewer)


def test_an_unanswered_question_is_shown_only_to_its_asker_and_those_who_manage_the_opportunity(session, world):
    people, opportunity = world
    seeing = {viewer for viewer in VIEWERS if "Ari's open question" in _shown(session, people, opportunity, viewer)}
    assert seeing == {"owner", "coowner", "asker", "admin_same", "site_admin"}


def test_a_hidden_question_is_shown_only_to_those_who_manage_the_opportunity(session, world):
    people, opportunity = world
    seeing = {viewer for viewer in VIEWERS if "Ari's hidden question" in _shown(session, people, opportunity, viewer)}
    assert seeing == {"owner", "coowner", "admin_same", "site_admin"}


def test_owners_may_not_ask_and_nobody_may_ask_once_it_is_not_open(session, world):
    people, opportunity = world
    assert policy.cannot_ask(opportunity, roles_for(people["coowner"], opportunity)).status == 403
    assert policy.cannot_ask(opportunity, roles_for(people["stranger"], opportunity)) is None
    opportunity.state = "matched"
    assert policy.cannot_ask(opportunity, roles_for(people["stranger"], opportunity)).status == 409
