"""The browse cache: entries keyed by the listing generation, which the database moves in the same transaction as the
change, so a committed change is listed at once whichever process made it; viewers never share agency-only counts."""
from __future__ import annotations

import uuid
from datetime import date

import pytest

from sqlalchemy import update

from portal.models import ListingGeneration, Opportunity
from portal.opportunities.facet_cache import FacetCache, _LocalStore
from tests.support import backends, factories, statements


def listed(session, owner, **fields):
    return factories.opportunity(session, owner, state="open", **fields)


def use_cache(cache: FacetCache, monkeypatch, *apps) -> FacetCache:
    """The cache for the app serving requests and for the twin whose context the test holds (its commits are the
    ones that move the generation), as the one app of a real process would have."""
    for each in apps:
        monkeypatch.setitem(each.extensions, "opportunity_facet_cache", cache)
    return cache


@pytest.fixture
def cached(app, ambient_app, monkeypatch) -> FacetCache:
    """The app's cache switched on for 30 seconds, in this process (tests otherwise count fresh every time)."""
    return use_cache(FacetCache(30), monkeypatch, app, ambient_app)


def test_a_committed_change_is_counted_on_the_next_page(web, session, signed_in, cached):
    viewer = signed_in()
    listed(session, viewer, title="First testing job", kind="testing")
    session.commit()
    assert "Testing / feedback <span class=\"count\">(1)</span>" in web.get("/opportunities").get_data(as_text=True)
    listed(session, viewer, title="Second testing job", kind="testing")
    session.commit()
    page = web.get("/opportunities").get_data(as_text=True)
    assert "First testing job" in page and "Second testing job" in page
    assert "2 opportunities" in page
    assert "Testing / feedback <span class=\"count\">(2)</span>" in page


def test_counts_come_from_the_cache_while_nothing_listed_changes(web, session, signed_in, cached):
    viewer = signed_in()
    listed(session, viewer, title="Testing job", kind="testing")
    session.commit()
    web.get("/opportunities")
    with statements.recorded() as counted:
        assert "Testing job" in web.get("/opportunities").get_data(as_text=True)
    assert not any("count(" in statement.lower() and "union all" in statement.lower() for statement in counted)


def test_only_a_committed_listing_change_moves_the_generation(session, signed_in, cached):
    viewer = signed_in()
    before = cached.generation()
    listed(session, viewer, title="Not yet", kind="testing")
    session.rollback()
    assert cached.generation() == before
    listed(session, viewer, title="Now", kind="testing")
    session.commit()
    after_insert = cached.generation()
    assert after_insert != before
    session.execute(update(Opportunity).where(Opportunity.title == "Now").values(team="Renamed team"))
    session.commit()
    assert cached.generation() != after_insert


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
def test_workers_share_counts_through_redis(session):
    prefix = f"test-{uuid.uuid4().hex}"
    first, second = FacetCache(30, backends.REDIS_URL, prefix), FacetCache(30, backends.REDIS_URL, prefix)
    key = first.key({"kind": ["testing"]}, 1, date(2026, 11, 25))
    first.put(key, [("kind", "testing", "testing", 3)])
    assert second.get(key) == [("kind", "testing", "testing", 3)]


def test_whole_pages_are_kept_until_the_listing_changes(web, session, signed_in, cached):
    viewer = signed_in()
    listed(session, viewer, title="Kept page job", kind="testing")
    session.commit()
    assert "Kept page job" in web.get("/opportunities?kind=testing").get_data(as_text=True)
    with statements.recorded() as counted:
        page = web.get("/opportunities?kind=testing").get_data(as_text=True)
    assert "Kept page job" in page and not any("opportunities.title" in s for s in counted)
    listed(session, viewer, title="Fresh page job", kind="testing")
    session.commit()
    page = web.get("/opportunities?kind=testing").get_data(as_text=True)
    assert "Fresh page job" in page and "2 opportunities" in page
    assert "Kept page job" in web.get("/opportunities?kind=testing&page=1&sort=closing").get_data(as_text=True)


def test_a_kept_page_is_checked_by_the_statement_that_loads_the_person(web, session, signed_in, cached):
    """The generation comes with the signed-in person: a kept result page costs no statement or round trip of its
    own."""
    viewer = signed_in()
    listed(session, viewer, title="Kept page job", kind="testing")
    session.commit()
    web.get("/opportunities?kind=testing")
    with statements.recorded() as counted:
        assert "Kept page job" in web.get("/opportunities?kind=testing").get_data(as_text=True)
    assert len(counted) == 1 and "listing_generation" in counted[0]


def test_a_change_committed_elsewhere_is_listed_on_the_next_request(web, session, signed_in, cached, settings):
    """Another process (a sweep in the worker) changes the listing through its own connection: its commit moves the
    generation this process's pages are checked against."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    from portal.listing import watch_listing

    viewer = signed_in()
    listed(session, viewer, title="Before the sweep", kind="testing")
    session.commit()
    assert "Before the sweep" in web.get("/opportunities?kind=testing").get_data(as_text=True)
    engine = create_engine(settings.database_url)
    elsewhere = sessionmaker(engine)
    watch_listing(elsewhere)
    with elsewhere() as other:
        other.execute(update(Opportunity).where(Opportunity.title == "Before the sweep")
                      .values(title="After the sweep"))
        other.commit()
    engine.dispose()
    page = web.get("/opportunities?kind=testing").get_data(as_text=True)
    assert "After the sweep" in page and "Before the sweep" not in page


def test_a_rolled_back_change_leaves_the_generation_where_it_was(session, signed_in, cached):
    viewer = signed_in()
    before = session.get(ListingGeneration, 1).value
    listed(session, viewer, title="Not kept", kind="testing")
    session.flush()
    session.rollback()
    assert session.get(ListingGeneration, 1).value == before


def test_an_unreachable_redis_only_costs_the_cache(session):
    cache = FacetCache(30, "redis://127.0.0.1:1/0")
    key = cache.key({}, None, date(2026, 11, 25))
    cache.put(key, [("total", "", "", 1)])
    assert cache.get(key) is None
