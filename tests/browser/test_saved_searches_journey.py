"""Saving a search and managing saved searches in a real browser, every page checked with axe-core."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright")
from sqlalchemy import select

import support
from portal.models import SavedSearch
from tests.support import factories

pytestmark = pytest.mark.browser


def test_searcher_saves_a_search_renames_it_and_turns_on_its_alert(live_server, page, session):
    owner = factories.user(session, name="Olive Owner")
    factories.open_opportunity(session, owner, title="Map the grants process")
    searcher = factories.user(session, name="Sam Searcher")
    session.commit()
    support.sign_in(page, searcher.email, factories.PASSWORD)

    page.goto("/opportunities")
    page.get_by_label("Search by keyword").fill("grants")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name="Save this search").click()
    assert page.get_by_role("alert").is_visible()  # no name: the summary, and the error beside the field
    assert "Give the search a name" in page.locator("#name-error").inner_text()
    support.visit(page)

    page.get_by_label("Name this search").fill("Grants work")
    page.get_by_label("E-mail me when new opportunities match").check()
    page.get_by_role("button", name="Save this search").click()
    assert page.get_by_role("link", name="Grants work (run this search)").is_visible()
    support.visit(page, "saved_searches_1_list")

    page.get_by_role("link", name="Rename Grants work").click()
    page.get_by_label("New name").fill("Grants and data")
    page.get_by_role("button", name="Save the new name").click()
    page.get_by_role("button", name="Turn off the e-mail alert for Grants and data").click()
    support.visit(page)

    page.get_by_role("link", name="Grants and data (run this search)").click()
    assert "Map the grants process" in page.content()
    session.expire_all()
    assert [(s.name, s.alert) for s in session.scalars(select(SavedSearch))] == [("Grants and data", False)]


def test_skill_match_e_mails_are_chosen_on_the_accessible_settings_page(live_server, page, session):
    person = factories.user(session, name="Sky Skills")
    session.commit()
    support.sign_in(page, person.email, factories.PASSWORD)

    page.goto("/notifications/settings")
    page.get_by_label("E-mail me new opportunities that match my skills").check()
    page.get_by_role("button", name="Save settings").click()

    assert page.get_by_label("E-mail me new opportunities that match my skills").is_checked()
    assert "no skills yet" in page.content()  # opted in with an empty profile: told why nothing will match
    support.visit(page)
