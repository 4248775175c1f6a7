"""Facet counts cached for a short time: results stay fresh, counts may lag, viewers never share agency-only counts."""
from __future__ import annotations

import uuid
from datetime import date

import pytest

from portal.opportunities.facet_cache import FacetCache, _LocalStore
from tests.support import backends, factories


def listed(session, owner, **fields):
    return factories.opportunity(session, owner, state="open", **fields)


@pytest.fixture
def cached(app, monkeypatch) -> FacetCache:
    """The app's cache switched on for 30 seconds, in this process (tests otherwise count fresh every time)."""
    cache = FacetCache(30)
    monkeypatch.setitem(app.extensions, "opportunity_facet_cache", cache)
    return cache


def test_results_stay_fresh_while_facet_counts_come_from_the_cache(web, session, signed_in, cached):
    viewer = signed_in()
    listed(session, viewer, title="First testing job", kind="testing")
    session.commit()
    assert "Testing / feedback <span class=\"count\">(1)</span>" in web.get("/opportunities").get_data(as_text=True)
    listed(session, viewer, title="Second testing job", kind="testing")
    session.commit()
    page = web.get("/opportunities").get_data(as_text=True)
    assert "First testing job" in page and "Second testing job" in page
    assert "2 opportunities" in page
    assert "Testing / feedback <span class=\"count\">(1)</span>" in page


def test_a_different_search_is_counted_afresh(web, session, signed_in, cached):
    viewer = signed_in()
    listed(session, viewer, title="Research sprint", kind="testing")
    session.commit()
    web.get("/opportunities")
    listed(session, viewer, title="Research review", kind="testing")
    session.commit()
    page = web.get("/opportunities?q=research").get_data(as_text=True)
    assert "Testing / feedback <span class=\"count\">(2)</span>" in page


def test_agency_only_counts_are_not_shown_to_another_agency(web, session, signed_in, make_user, cached):
    owner = make_user()
    listed(session, owner, title="Open to all", kind="testing")
    listed(session, owner, title="Own agency only", kind="testing", restricted_to_agency=True)
    session.commit()
    signed_in(owner)
    assert "Testing / feedback <span class=\"count\">(2)</span>" in web.get("/opportunities").get_data(as_text=True)
    web.submit("/sign-out", {})
    signed_in(agency_abbreviation="ATO")
    page = web.get("/opportunities").get_data(as_text=True)
    assert "Testing / feedback <span class=\"count\">(1)</span>" in page and "Own agency only" not in page


def test_cached_counts_expire():
    moment = [0.0]
    store = _LocalStore(now=lambda: moment[0])
    store.set("key", "value", 30)
    moment[0] = 29.9
    assert store.get("key") == "value"
    moment[0] = 30.0
    assert store.get("key") is None


def test_the_oldest_entry_goes_when_the_store_is_full():
    store = _LocalStore(limit=2)
    for key in ("a", "b", "c"):
        store.set(key, key, 30)
    assert [store.get(key) for key in ("a", "b", "c")] == [None, "b", "c"]


@pytest.mark.skipif(backends.BACKEND != "postgres", reason="Redis is one of the real services of the PostgreSQL run")
def test_workers_share_counts_through_redis():
    prefix = f"test-{uuid.uuid4().hex}"
    first, second = FacetCache(30, backends.REDIS_URL, prefix), FacetCache(30, backends.REDIS_URL, prefix)
    key = first.key({"kind": ["testing"]}, 1, date(2026, 11, 25))
    first.put(key, [("kind", "testing", "testing", 3)])
    assert second.get(key) == [("kind", "testing", "testing", 3)]


def test_an_unreachable_redis_only_costs_the_cache():
    cache = FacetCache(30, "redis://127.0.0.1:1/0")
    key = cache.key({}, None, date(2026, 11, 25))
    cache.put(key, [("total", "", "", 1)])
    assert cache.get(key) is None
