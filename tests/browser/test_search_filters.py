"""The search filters in a real browser: on a narrow screen they come first, folded behind "Filter"; each group
folds on its own and applies as soon as a box changes (told beforehand); without JavaScript the same form works
with "Apply filters". axe-core checks every page visited with JavaScript on."""
from __future__ import annotations

import pytest

pytest.importorskip("playwright")

import support
from tests.support import factories

pytestmark = pytest.mark.browser

NARROW = {"width": 375, "height": 800}


def _world(session):
    owner = factories.user(session, name="Olive Owner")
    factories.open_opportunity(session, owner, title="Accessibility tester", kind="testing", clearance="none")
    factories.open_opportunity(session, owner, title="Secret testing", kind="testing", clearance="nv2")
    factories.open_opportunity(session, owner, title="Map the grants process", kind="project", clearance="baseline",
                               accepting_applications=False)
    searcher = factories.user(session, name="Nina Narrow")
    searcher.clearance = "nv1"
    session.commit()
    return searcher


def test_on_a_narrow_screen_the_filters_come_first_behind_a_button_and_apply_as_you_choose(live_server, browser,
                                                                                          session):
    searcher = _world(session)
    context = browser.new_context(base_url=live_server, viewport=NARROW)
    try:
        page = context.new_page()
        support.sign_in(page, searcher.email, factories.PASSWORD)
        page.goto("/opportunities")
        toggle = page.locator("summary.filter-toggle")
        testing = page.get_by_label("Testing / feedback")
        assert toggle.is_visible() and not testing.is_visible()  # folded behind "Filter"
        first_result = page.get_by_role("link", name="Accessibility tester")
        assert toggle.bounding_box()["y"] < first_result.bounding_box()["y"]
        assert "Not taking applications" in page.locator("li.result", has_text="Map the grants process").inner_text()
        support.visit(page, "search_filters_1_narrow_folded")

        toggle.click()
        assert testing.is_visible()
        assert page.get_by_text("Results update as soon as you tick or clear a box.").is_visible()
        support.visit(page, "search_filters_2_narrow_open")

        with page.expect_navigation():
            testing.check()  # no button pressed: the group applies itself
        assert "kind=testing" in page.url
        assert "2 opportunities" in page.get_by_role("heading", level=2).first.inner_text()
        assert page.get_by_label("Testing / feedback").is_checked()
        assert page.evaluate("document.activeElement.id") == "f-kind-testing"  # carried on where they were
        assert page.locator("summary.filter-toggle").is_visible() and page.get_by_label("Testing / feedback").is_visible()

        type_group = page.locator("details[data-facet=kind] > summary")
        type_group.click()
        assert not page.get_by_label("Testing / feedback").is_visible()  # one group folded, the others not
        assert page.get_by_label("Only what my clearance meets").is_visible()
        type_group.click()
        assert page.get_by_label("Testing / feedback").is_visible()

        with page.expect_navigation():
            page.get_by_label("Only what my clearance meets").check()
        assert "cleared=1" in page.url and "Accessibility tester" in page.content()
        assert "Secret testing" not in page.content()
        assert "1 opportunity" in page.get_by_role("heading", level=2).first.inner_text()
        support.visit(page, "search_filters_3_narrow_cleared")
    finally:
        context.close()


def test_on_a_wide_screen_the_filters_sit_beside_the_results(live_server, page, session):
    searcher = _world(session)
    support.sign_in(page, searcher.email, factories.PASSWORD)
    page.goto("/opportunities")
    panel = page.locator("details.filter-panel")
    results = page.locator("#results")
    assert page.get_by_label("Testing / feedback").is_visible()
    assert panel.bounding_box()["x"] + panel.bounding_box()["width"] <= results.bounding_box()["x"]
    support.visit(page, "search_filters_4_wide")


def test_without_javascript_the_narrow_filters_are_open_and_apply_with_the_button(live_server, browser, page,
                                                                                 session):
    searcher = _world(session)
    context = browser.new_context(base_url=live_server, viewport=NARROW, java_script_enabled=False)
    try:
        plain = context.new_page()
        support.sign_in(plain, searcher.email, factories.PASSWORD)
        plain.goto("/opportunities")
        assert plain.get_by_label("Testing / feedback").is_visible()
        assert not plain.get_by_text("Results update as soon as").is_visible()  # nothing updates by itself here
        plain.get_by_label("Testing / feedback").check()
        plain.get_by_label("Only what my clearance meets").check()
        assert "kind=testing" not in plain.url
        plain.get_by_role("button", name="Apply filters").click()
        assert "kind=testing" in plain.url and "cleared=1" in plain.url
        assert "1 opportunity" in plain.get_by_role("heading", level=2).first.inner_text()
        url = plain.url
        plain.locator("summary.filter-toggle").click()  # a native <details>: folds without JavaScript too
        assert not plain.get_by_label("Testing / feedback").is_visible()
    finally:
        context.close()
    support.sign_in(page, searcher.email, factories.PASSWORD)
    page.goto(url)  # the same markup, checked by axe in an ordinary context
    support.visit(page, "search_filters_5_applied")
