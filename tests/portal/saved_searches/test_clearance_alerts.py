"""Saved searches asking "only what my clearance meets": the alert sweep resolves it from the owner's profile
when it runs, as the search page does for them (test_new_opportunities checks the two agree on random data)."""
from __future__ import annotations

from tests.portal.saved_searches.test_alerts import publish, queued, reader, sweep, titles
from tests.portal.saved_searches.test_saved_searches import save, stored


def test_an_alert_lists_only_what_the_owners_clearance_meets(session):
    person = reader(session, query="q=dashboard&cleared=1")
    person.clearance = "baseline"
    session.commit()
    publish(session, title="Baseline dashboard", clearance="baseline")
    publish(session, title="Secret dashboard", clearance="nv1")

    sweep()

    [message] = queued(session)
    assert titles(message) == ["Baseline dashboard"]


def test_the_alert_follows_a_clearance_granted_after_the_search_was_saved(session):
    person = reader(session, query="q=dashboard&cleared=1")
    publish(session, title="Secret dashboard", clearance="nv1")
    person.clearance = "nv1"
    session.commit()

    sweep()

    [message] = queued(session)
    assert titles(message) == ["Secret dashboard"]


def test_someone_without_a_clearance_is_not_alerted_to_one_that_needs_it(session):
    reader(session, query="q=dashboard&cleared=1")
    publish(session, title="Secret dashboard", clearance="nv1")
    assert sweep() == [] and queued(session) == []


def test_a_search_saved_from_the_page_keeps_the_clearance_filter_and_says_so(web, signed_in, session):
    person = signed_in()
    person.clearance = "nv2"
    session.commit()

    assert save(web, "Cleared work", page="/opportunities?cleared=1&mode=remote").status_code == 302

    [saved] = stored(session, person)
    assert saved.query == "mode=remote&cleared=1"  # the choice, never the levels it meant that day
    assert "Work mode: Remote · Only what my clearance meets" in web.get("/saved-searches/").get_data(as_text=True)
