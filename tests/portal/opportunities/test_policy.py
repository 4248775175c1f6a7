"""Who may see an opportunity, what is listed to whom, and who may apply: one policy, asked everywhere.

The SQL filter and the Python predicate of each rule are checked against each other on random rows (both
backends), and the pages and API resources are checked to give one answer.
"""
from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.models import Opportunity
from portal.opportunities import policy
from tests.conftest import sign_in
from tests.support import factories
from workflows import clock
from workflows.opportunity import STATES

HIDDEN_FROM_STRANGERS = ("draft", "approval", "rejected", "expired", "cancelled")


def _people(session):
    """One person of each kind the rule distinguishes, in two agencies."""
    dta, ato = factories.agency(session, "DTA"), factories.agency(session, "ATO")
    return [factories.user(session), factories.user(session, agency_abbreviation="ATO"),
            factories.contractor(session), factories.agency_admin(session, "DTA"),
            factories.agency_admin(session, "ATO", agency_abbreviation="DTA"), factories.site_admin(session),
            factories.user(session, email="approver@example.gov.au"), _of_no_agency(session)], (dta, ato)


def _of_no_agency(session):
    person = factories.user(session)
    person.agency = None
    return person


def _random_opportunities(session, people, agencies, rng: random.Random, count: int = 40) -> None:
    today = clock.canberra_today()
    for _ in range(count):
        owner = rng.choice(people)
        creator = rng.choice([owner, rng.choice(people)])
        found = factories.opportunity(
            session, owner, state=rng.choice(STATES), host_agency=rng.choice(agencies),
            restricted_to_agency=rng.random() < 0.4, creator=creator,
            approving_manager_email=rng.choice(["Approver@example.gov.au", "someone@example.gov.au", None]),
            deadline=rng.choice([None, today - timedelta(days=1), today, today + timedelta(days=5)]))
        found.coowners = rng.sample(people, rng.choice([0, 0, 1, 2]))
        if found.state == "draft" and rng.random() < 0.5:
            found.host_agency = None  # a draft may not have its host agency yet
    session.flush()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_sql_filter_and_the_predicate_of_who_may_see_agree(session, seed):
    rng = random.Random(seed)
    people, agencies = _people(session)
    _random_opportunities(session, people, agencies, rng)
    everything = list(session.scalars(select(Opportunity)))

    for person in people:
        by_sql = set(session.scalars(select(Opportunity.id).where(policy.visible_to(person))))
        by_python = {o.id for o in everything if policy.may_see(person, o)}
        assert by_sql == by_python, person.email
    assert set(session.scalars(select(Opportunity.id).where(policy.visible_to(None)))) == \
        {o.id for o in everything if policy.may_see(None, o)}


@pytest.mark.parametrize("seed", [4, 5])
def test_the_sql_filter_and_the_predicate_of_what_is_listed_agree(session, seed):
    rng = random.Random(seed)
    people, agencies = _people(session)
    _random_opportunities(session, people, agencies, rng)
    everything = list(session.scalars(select(Opportunity)))
    today = clock.canberra_today()

    for agency_id in (agencies[0].id, agencies[1].id, None):
        by_sql = set(session.scalars(select(Opportunity.id).where(*policy.listed(agency_id, today))))
        assert by_sql == {o.id for o in everything if policy.is_listed(o, agency_id, today)}


@pytest.mark.parametrize("state", HIDDEN_FROM_STRANGERS)
def test_a_stranger_gets_404_for_an_unpublished_opportunity_everywhere(web, session, make_user, state):
    hidden = factories.opportunity(session, make_user(), state=state)
    session.commit()
    sign_in(web, make_user())

    for url in (f"/opportunities/{hidden.id}", f"/opportunities/{hidden.id}/apply",
                f"/opportunities/{hidden.id}/applicants"):
        assert web.get(url).status_code == 404, url
    assert web.post(f"/opportunities/{hidden.id}/apply", {"statement": "Me"}).status_code == 404


def test_an_approving_manager_sees_the_opportunity_they_were_asked_to_approve(web, session, make_user):
    manager = make_user(email="morgan.manager@example.gov.au")
    waiting = factories.opportunity(session, make_user(), state="approval")
    session.commit()
    sign_in(web, manager)

    assert web.get(f"/opportunities/{waiting.id}").status_code == 200


def test_a_saved_opportunity_that_was_cancelled_leaves_the_saved_list(web, session, make_user):
    saver = make_user()
    kept = factories.opportunity(session, make_user(), state="open", title="Still open for research")
    gone = factories.opportunity(session, make_user(), state="cancelled", title="Cancelled data work")
    factories.saved_opportunity(session, saver, kept)
    factories.saved_opportunity(session, saver, gone)
    session.commit()
    sign_in(web, saver)

    page = web.get("/opportunities/saved").get_data(as_text=True)

    assert "Still open for research" in page and "Cancelled data work" not in page
    assert web.get(f"/opportunities/{gone.id}").status_code == 404
