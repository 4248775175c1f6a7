"""The alert sweep's in-memory matching (new_opportunities.NewOpportunities) finds exactly what the search page finds,
for random opportunities, random filters and viewers of two agencies holding different clearances."""
from __future__ import annotations

import random
from datetime import timedelta

from portal.opportunities.new_opportunities import NewOpportunities
from portal.opportunities.search import Filters, search
from tests.support import factories
from workflows import clock

KINDS = ["project", "working_group", "testing", "shadowing"]
MODES = ["remote", "hybrid", "in_person"]
STATES = ["ACT", "NSW", "VIC"]
BANDS = ["up_to_10h", "up_to_1_day", "over_1_day"]
WORDS = ["", "", "research", "dashboard", "research -dashboard", '"user research"', "policy or dashboard", "the"]


def _opportunities(session, owner, other_agency_owner, rng: random.Random) -> None:
    skills = factories.skills(session)[:6]
    today = clock.canberra_today()
    for n in range(40):
        mode = rng.choice(MODES)
        factories.opportunity(
            session, rng.choice([owner, other_agency_owner]), state=rng.choice(["open"] * 4 + ["matched"]),
            title=f"{rng.choice(['Research', 'Dashboard', 'Policy', 'User research'])} role {n}",
            kind=rng.choice(KINDS), work_mode=mode, location_state=None if mode == "remote" else rng.choice(STATES),
            commitment_kind="total_hours", commitment_amount=rng.choice([5, 20, 60, 200]),
            clearance=rng.choice(["none", "baseline", "nv1", "pv"]), restricted_to_agency=rng.random() < 0.3,
            deadline=today + timedelta(days=rng.choice([-2, 0, 3, 6, 8, 30])),
            skills=rng.sample(skills, rng.randint(1, 3)))
    session.commit()


def _filters(rng: random.Random, skill_ids: list[int], agency_ids: list[int]) -> Filters:
    pick = lambda values: tuple(rng.sample(values, rng.choice([0, 0, 1, 2])))  # noqa: E731
    return Filters(q=rng.choice(WORDS), skill=pick(skill_ids), kind=pick(KINDS), mode=pick(MODES),
                   location=pick(STATES), band=pick(BANDS), clearance=pick(["none", "baseline"]),
                   agency=pick(agency_ids), closing=rng.random() < 0.2,
                   cleared=rng.random() < 0.3)


def test_new_opportunities_match_as_the_search_page_does(session, make_user):
    rng = random.Random(2026)
    viewer = make_user()
    stranger = make_user(agency_abbreviation="ATO")
    viewer.clearance, stranger.clearance = "baseline", "nv1"  # "what my clearance meets" differs between them
    _opportunities(session, viewer, stranger, rng)
    skill_ids = [skill.id for skill in factories.skills(session)[:6]]
    agency_ids = [viewer.agency_id, stranger.agency_id]
    filters_list = [_filters(rng, skill_ids, agency_ids) for _ in range(150)]
    since = clock.utcnow() - timedelta(days=1)
    new = NewOpportunities(session, since, clock.utcnow() + timedelta(seconds=1), {f.q for f in filters_list})
    compared = 0
    for filters in filters_list:
        for person in (viewer, stranger):
            expected = {o.id for o in search(session, filters, person, per_page=100).opportunities}
            found = {o.id for o in new.matching(filters.for_person(person), person.agency_id, since, limit=100)}
            assert found == expected, filters
            compared += bool(expected)
    assert compared > 20  # the random filters found something often enough to mean something
