"""The clearance filters of search: the plain levels an opportunity needs (anyone), and "only what my clearance
meets", resolved from the searcher's profile by users.clearances_met_by, on the page, in cached pages and the API."""
from __future__ import annotations

import uuid
from datetime import date

import pytest

from portal.models.users import CLEARANCES
from portal.opportunities.facet_cache import FacetCache
from portal.opportunities.search import Filters
from tests.conftest import sign_in
from tests.support import backends, factories
from tests.support.web import Web


def one_at_each_level(session, owner) -> None:
    for level in CLEARANCES:
        factories.open_opportunity(session, owner, title=f"Needs {level} job", clearance=level)
    session.commit()


def holding(session, user, level: str):
    user.clearance = level
    session.commit()
    return user


def titles(page: str) -> set[str]:
    return {f"Needs {level} job" for level in CLEARANCES if f"Needs {level} job" in page}


def test_only_what_my_clearance_meets_lists_my_level_and_those_below(web, session, signed_in, make_user):
    one_at_each_level(session, make_user())
    holding(session, signed_in(), "nv1")
    page = web.get("/opportunities?cleared=1").get_data(as_text=True)
    assert titles(page) == {"Needs none job", "Needs baseline job", "Needs nv1 job"}
    assert "3 opportunities" in page
    assert 'id="f-cleared" name="cleared" value="1" aria-describedby="cleared-hint" checked' in page
    assert "on your <a href=\"/profile\">profile</a>: NV1." in page


def test_someone_holding_no_clearance_is_shown_only_what_needs_none(web, session, signed_in, make_user):
    one_at_each_level(session, make_user())
    signed_in()
    assert titles(web.get("/opportunities?cleared=1").get_data(as_text=True)) == {"Needs none job"}


def test_the_plain_levels_filter_what_an_opportunity_needs_whatever_you_hold(web, session, signed_in, make_user):
    one_at_each_level(session, make_user())
    holding(session, signed_in(), "baseline")
    assert titles(web.get("/opportunities?clearance=pv&clearance=nv2").get_data(as_text=True)) \
        == {"Needs nv2 job", "Needs pv job"}
    both = web.get("/opportunities?clearance=pv&clearance=baseline&cleared=1").get_data(as_text=True)
    assert titles(both) == {"Needs baseline job"}


def test_a_new_clearance_on_the_profile_changes_the_results_at_once(web, session, signed_in, make_user):
    one_at_each_level(session, make_user())
    viewer = holding(session, signed_in(), "baseline")
    assert "Needs pv job" not in web.get("/opportunities?cleared=1").get_data(as_text=True)
    holding(session, viewer, "pv")
    assert len(titles(web.get("/opportunities?cleared=1").get_data(as_text=True))) == 5


def test_filters_resolve_the_levels_for_one_person_and_fail_closed_unresolved(make_user):
    cleared = Filters.from_query_string("cleared=1&kind=project")
    assert cleared.cleared and cleared.clearances_met == ("none",)
    assert cleared.for_person(make_user()).met == ("none",)
    person = make_user()
    person.clearance = "nv2"
    assert cleared.for_person(person).met == ("none", "baseline", "nv1", "nv2")
    assert cleared.query_string() == "kind=project&cleared=1"
    assert "met" not in cleared.for_person(person).args() and cleared.for_person(person).keyed_args()["met"]
    assert Filters.from_query_string("met=pv").clearances_met == ("none",)  # never read from a URL
    assert Filters().for_person(person).met == ()


@pytest.fixture(params=["local", "redis"])
def any_cache(request, app, ambient_app, monkeypatch) -> FacetCache:
    """Counts cached in this process, or (PostgreSQL run) whole pages in Redis."""
    if request.param == "redis":
        if backends.BACKEND != "postgres":
            pytest.skip("Redis is one of the real services of the PostgreSQL run")
        cache = FacetCache(30, backends.REDIS_URL, f"test-{uuid.uuid4().hex}")
    else:
        cache = FacetCache(30)
    for each in (app, ambient_app):
        monkeypatch.setitem(each.extensions, "opportunity_facet_cache", cache)
    return cache


def test_cached_pages_never_give_one_persons_clearance_results_to_another(web, session, make_user, signed_in, app,
                                                                         any_cache):
    one_at_each_level(session, make_user())
    cleared_person = holding(session, make_user(), "pv")
    uncleared_person = make_user()
    signed_in(cleared_person)
    assert len(titles(web.get("/opportunities?cleared=1").get_data(as_text=True))) == 5
    other = Web(app.test_client())
    sign_in(other, uncleared_person)
    page = other.get("/opportunities?cleared=1").get_data(as_text=True)
    assert titles(page) == {"Needs none job"} and "1 opportunity" in page and ": PV." not in page
    keys = {any_cache.key(Filters(cleared=True).for_person(p).keyed_args(), p.agency_id, date(2027, 1, 1))
            for p in (cleared_person, uncleared_person)}
    assert len(keys) == 2
