"""Journeys 2, 5 and 6 in a real browser, plus keyboard-only and JavaScript-free runs (issue 7).

Each journey drives Debian's Chromium against the live test app with the real worker and SMTP capture;
every page visited is checked with axe-core (WCAG 2.1 A and AA) and key pages leave screenshots.
Rows a journey only needs to exist (people, opportunities, applications) come from the factories, so
each test spends its time in the part of the journey it is about.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Page
from sqlalchemy import select

import support
from portal.extensions import db
from portal.models import Application, Opportunity
from portal.sweeps import load_all
from tests.support import factories
from tests.support.smtp import link_in, text_of
from workflows import clock

pytestmark = pytest.mark.browser


def applied(session, opportunity: Opportunity, applicant) -> Application:
    application = Application(opportunity=opportunity, applicant=applicant, statement="I would like to help.",
                              state="applied", home_manager_name=applicant.supervisor_name,
                              home_manager_email=applicant.supervisor_email)
    session.add(application)
    return application


def test_owner_cancels_an_open_opportunity_and_both_applicants_are_told_why(live_server, page, session, mailbox):
    owner = factories.user(session, name="Olive Owner", email="olive.owner@dta.gov.au")
    applicants = [factories.user(session, name=name, email=email) for name, email in
                  (("Ari Applicant", "ari.applicant@ato.gov.au"), ("Bo Bidder", "bo.bidder@ato.gov.au"))]
    opportunity = factories.open_opportunity(session, owner, title="Build a service dashboard")
    for person in applicants:
        applied(session, opportunity, person)
    session.commit()
    reason = "The funding for the dashboard was withdrawn this quarter."

    support.sign_in(page, owner.email, factories.PASSWORD)
    page.goto(f"/opportunities/{opportunity.id}")
    support.visit(page, "more_journeys_5_1_owner_opportunity")
    page.get_by_role("link", name="Cancel the opportunity").click()
    support.visit(page, "more_journeys_5_2_cancel_form")
    page.get_by_role("button", name="Cancel the opportunity").click()
    page.wait_for_load_state()
    assert "Give a reason" in page.content()
    support.visit(page, "more_journeys_5_3_cancel_needs_reason")
    page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name="Cancel the opportunity").click()
    page.wait_for_load_state()
    assert "Everyone who applied has been told by e-mail" in page.content()
    support.visit(page, "more_journeys_5_4_cancelled")
    support.sign_out(page)

    for person in applicants:
        message = mailbox.wait_for_to(person.email, "has been cancelled")
        assert reason in text_of(message)
    for person in applicants:
        support.sign_in(page, person.email, factories.PASSWORD)
        page.goto("/applications")
        support.visit(page, f"more_journeys_5_5_my_applications_{person.name.split()[0].lower()}")
        card = page.get_by_role("region", name="Build a service dashboard")
        assert card.locator(".status").inner_text() == "Cancelled"
        support.sign_out(page)


def test_contractor_posts_for_a_manager_who_approves_by_e_mail_and_cannot_apply_to_anything(
        live_server, page, session, mailbox, browser):
    contractor = factories.user(session, name="Cam Contractor", email="cam.contractor@dta.gov.au", contractor=True)
    manager_email = "fran.federal@dta.gov.au"
    other = factories.open_opportunity(session, factories.user(session, name="Olive Owner"),
                                       title="Map the grants process")
    session.commit()

    support.sign_in(page, contractor.email, factories.PASSWORD)
    page.goto("/opportunities/new")
    support.visit(page, "more_journeys_2_1_contractor_new")
    support.fill_opportunity(page, title="Content designer for a payments letter",
                             summary="Rewrite a payments letter in plain English.",
                             what_you_do="Test drafts with **real customers**.", kind="project", hours=4)
    page.fill("#approving_manager_name", "Fran Federal")
    page.fill("#approving_manager_email", manager_email)
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_load_state()
    assert "Your draft is saved" in page.content()
    support.visit(page, "more_journeys_2_2_contractor_draft")

    page.get_by_role("link", name="Submit for approval").click()
    assert page.input_value("#approving_manager_email") == manager_email
    support.visit(page, "more_journeys_2_3_contractor_submit")
    page.get_by_role("button", name="Send for approval").click()
    page.wait_for_load_state()
    assert "Sent to Fran Federal for approval" in page.content()

    manager = browser.new_context(base_url=live_server).new_page()
    try:
        manager.goto(link_in(mailbox.wait_for_to(manager_email, "Please approve"), "/approvals/link/"))
        support.visit(manager, "more_journeys_2_4_manager_link")
        manager.check("input[value=approve]")
        manager.get_by_role("button", name="Send my decision").click()
        manager.wait_for_load_state()
        assert "Decision recorded" in manager.content()
        support.visit(manager, "more_journeys_2_5_manager_done")
    finally:
        manager.context.close()
    assert mailbox.wait_for_to(contractor.email, "Approved and open")

    page.goto(f"/opportunities/{other.id}")
    support.visit(page, "more_journeys_2_6_contractor_views_open")
    assert "Contractors cannot apply" in page.content()
    assert page.get_by_role("link", name="Apply for this opportunity").count() == 0
    response = page.goto(f"/opportunities/{other.id}/apply")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text().startswith("You cannot apply")
    support.visit(page, "more_journeys_2_7_contractor_refused")


def test_agency_admin_approves_an_escalated_opportunity_from_the_queue(live_server, page, session, mailbox):
    dta = factories.agency(session, "DTA")
    creator = factories.user(session, name="Cara Creator", email="cara.creator@dta.gov.au")
    admin = factories.user(session, name="Ada Admin", email="ada.admin@dta.gov.au", admin_of=[dta])
    opportunity = factories.opportunity(session, creator, state="approval", title="Service blueprint for grants",
                                        approving_manager_name="Silent Manager",
                                        approving_manager_email="silent.manager@dta.gov.au")
    opportunity.submitted_at = clock.utcnow() - timedelta(days=14)
    session.commit()
    opportunity_id = opportunity.id

    with db.transaction() as sweep_session:
        sent = load_all()["opportunity-approval-escalation"](sweep_session, False)
    assert any(admin.email in line for line in sent), sent
    decide_link = link_in(mailbox.wait_for_to(admin.email, "Approval overdue"), "/approvals/")
    assert decide_link.endswith(f"/approvals/{opportunity_id}")

    support.sign_in(page, admin.email, factories.PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Approvals").click()
    support.visit(page, "more_journeys_6_1_admin_queue")
    row = page.locator("tr", has_text="Service blueprint for grants")
    assert "Escalated" in row.inner_text()
    assert "Silent Manager" in row.inner_text()
    row.get_by_role("link", name="Service blueprint for grants").click()
    assert page.url == decide_link
    support.visit(page, "more_journeys_6_2_admin_decide")
    page.get_by_label("Approve and publish it").check()
    page.get_by_role("button", name="Send my decision").click()
    page.wait_for_load_state()
    assert "the opportunity is approved" in page.content()
    assert "No opportunities are waiting for approval" in page.content()
    support.visit(page, "more_journeys_6_3_admin_queue_after")

    assert mailbox.wait_for_to(creator.email, "Approved and open")
    session.expire_all()
    assert session.scalar(select(Opportunity.state).where(Opportunity.id == opportunity_id)) == "open"


def focus_is_visible(page: Page) -> bool:
    """The focused element is on screen and draws a keyboard focus indicator (an outline or a box shadow)."""
    return page.evaluate("""() => {
        const element = document.activeElement;
        const style = getComputedStyle(element);
        const box = element.getBoundingClientRect();
        const onScreen = box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
            && box.left < innerWidth && box.top < innerHeight;
        const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
        const shadow = style.boxShadow && style.boxShadow !== 'none';
        return element.matches(':focus-visible') && onScreen && (outline || shadow);
    }""")


def tab_to(page: Page, matches: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches the CSS selector, checking every stop shows focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert focus_is_visible(page), page.evaluate("() => document.activeElement.outerHTML")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", matches):
            return
    raise AssertionError(f"Tab never reached {matches}")


def test_keyboard_only_applicant_signs_in_and_applies(live_server, page, session):
    owner = factories.user(session, name="Olive Owner")
    applicant = factories.user(session, name="Kit Keyboard", email="kit.keyboard@ato.gov.au")
    opportunity = factories.open_opportunity(session, owner)
    session.commit()

    page.goto("/sign-in")
    support.visit(page, "more_journeys_a11y_1_sign_in")
    tab_to(page, "#email")
    page.keyboard.type(applicant.email)
    tab_to(page, "#password")
    page.keyboard.type(factories.PASSWORD)
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Sign out").is_visible()

    page.goto(f"/opportunities/{opportunity.id}")
    support.visit(page, "more_journeys_a11y_2_opportunity")
    tab_to(page, f"a[href$='/opportunities/{opportunity.id}/apply']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    support.visit(page, "more_journeys_a11y_3_apply")
    tab_to(page, "textarea")
    page.keyboard.type("I can do this with the keyboard alone.")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert "Applied" in page.content()
    support.visit(page, "more_journeys_a11y_4_applied")
    session.expire_all()
    assert session.scalar(select(Application.statement).where(Application.applicant_id == applicant.id)) \
        == "I can do this with the keyboard alone."


def test_search_with_facets_works_without_javascript(live_server, browser, page, session):
    """Journey 1's search part with JavaScript off. axe needs JavaScript, so the same pages are then
    checked in an ordinary context (the server sends both the same markup)."""
    owner = factories.user(session, name="Olive Owner")
    factories.open_opportunity(session, owner, title="Accessibility tester for a benefits form", kind="testing",
                               what_you_do="Run **screen reader** tests and write up findings.")
    factories.open_opportunity(session, owner, title="Map the grants process", kind="project")
    searcher = factories.user(session, name="Nora NoScript", email="nora.noscript@ato.gov.au")
    session.commit()
    visited: list[str] = []

    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        plain = context.new_page()
        support.sign_in(plain, searcher.email, factories.PASSWORD)
        plain.get_by_role("navigation", name="Main").get_by_role("link", name="Find opportunities").click()
        assert "2 opportunities" in plain.get_by_role("heading", level=2).first.inner_text()
        visited.append(plain.url)
        support.save_screenshot(plain, "more_journeys_nojs_1_browse")

        plain.get_by_label("Testing").check()
        plain.get_by_role("button", name="Apply filters").click()
        assert "1 opportunity" in plain.get_by_role("heading", level=2).first.inner_text()
        assert "Map the grants process" not in plain.content()
        visited.append(plain.url)

        plain.get_by_label("Testing").uncheck()
        plain.get_by_label("Search by keyword").fill("screen reader")
        plain.get_by_role("button", name="Search", exact=True).click()
        assert "Accessibility tester for a benefits form" in plain.content()
        assert "Map the grants process" not in plain.content()
        assert plain.locator("label[for=f-kind-testing]").inner_text().endswith("(1)")
        visited.append(plain.url)
        support.save_screenshot(plain, "more_journeys_nojs_2_results")

        plain.get_by_role("link", name="Accessibility tester for a benefits form").click()
        assert plain.get_by_role("heading", level=1).inner_text() == "Accessibility tester for a benefits form"
        visited.append(plain.url)
        support.save_screenshot(plain, "more_journeys_nojs_3_detail")
    finally:
        context.close()

    support.sign_in(page, searcher.email, factories.PASSWORD)
    for url in visited:
        page.goto(url)
        support.assert_accessible(page)
