"""Browser journey: post an opportunity, submit it, the manager approves from the e-mail, it is found.

Runs the real portal on PORTAL_BASE_URL's port in a thread and drives Debian's Chromium; every page
on the way is checked with axe-core against WCAG 2.1 A and AA.
"""
from __future__ import annotations


import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page

import support
from tests.support.factories import PASSWORD
from tests.support.smtp import link_in

pytestmark = pytest.mark.browser
MANAGER = "robin.approver@example.gov.au"


def test_posted_opportunity_is_approved_from_the_e_mail_and_found_in_search(
        browser: Browser, live_server: str, page: Page, make_user, mailbox):
    owner = make_user(email="poster@example.gov.au", supervisor=("Robin Approver", MANAGER))
    support.sign_in(page, owner.email, PASSWORD)

    page.goto(f"{live_server}/opportunities/new")
    support.assert_accessible(page)
    support.fill_opportunity(page, title="Accessibility tester for a benefits form",
                             summary="Test a new online form with assistive technology.",
                             what_you_do="Run **screen reader** tests and write up findings.", kind="testing", hours=3)
    page.click("button:has-text('Save')")
    assert "Your draft is saved" in page.content()
    support.assert_accessible(page)

    page.click("a:has-text('Submit for approval')")
    assert page.input_value("#approving_manager_email") == MANAGER
    support.assert_accessible(page)
    page.click("button:has-text('Send for approval')")
    assert "Sent to Robin Approver for approval" in page.content()

    link = link_in(mailbox.wait_for_to(MANAGER, "Please approve"), "/approvals/link/")
    manager = browser.new_context(base_url=live_server).new_page()
    try:
        manager.goto(link)
        support.assert_accessible(manager)
        manager.check("input[value=approve]")
        manager.click("button:has-text('Send my decision')")
        assert "Decision recorded" in manager.content()
    finally:
        manager.context.close()

    page.goto(f"{live_server}/opportunities?q=screen+reader")
    support.assert_accessible(page)
    assert "Accessibility tester for a benefits form" in page.content()
    assert page.locator("label[for=f-kind-testing]").inner_text().endswith("(1)")
    assert page.locator("label[for=f-mode-remote]").inner_text().endswith("(1)")
    page.click("a:has-text('Accessibility tester for a benefits form')")
    support.assert_accessible(page)
    for path in ("/opportunities/mine", "/approvals"):
        page.goto(live_server + path)
        support.assert_accessible(page)
