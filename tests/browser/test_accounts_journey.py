"""A new person's first visit in a real browser: register, confirm from the e-mail, sign in, edit profile.

axe-core checks every page on the way against WCAG 2.1 A and AA. The same journey runs again with
JavaScript switched off, because the portal must work without it (axe itself needs JavaScript, so
it checks the first run; the server sends the same markup to both). The pages a visitor meets before
signing in (home, help centre, sign-in errors, not found) are checked too.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

import support
from portal.models import User
from tests.support.smtp import text_of

PASSWORD = "a long enough password"
LINK = re.compile(r"(http://127\.0\.0\.1:\d+/verify/[\w.\-]+)")


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def journey_page(request, browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=request.param)
    try:
        yield context.new_page(), request.param
    finally:
        context.close()


def _visit(page, name: str, check_accessibility: bool) -> None:
    """Every page on the journey: it rendered, it is accessible, and it leaves a screenshot."""
    assert page.locator("h1").count() == 1, page.content()
    if check_accessibility:
        support.assert_accessible(page)
    support.save_screenshot(page, f"accounts_journey_{name}")


def test_new_person_registers_confirms_signs_in_and_edits_their_skills(journey_page, mailbox, session):
    page, javascript = journey_page
    label = "js" if javascript else "nojs"
    email = f"sam.{label}@dta.gov.au"

    page.goto("/register")
    _visit(page, f"{label}_1_register", javascript)
    page.get_by_label("Full name").fill("Sam Browser")
    page.get_by_label("Your APS agency e-mail address").fill(email)  # the agency is taken from it
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your e-mail"
    _visit(page, f"{label}_2_check_your_email", javascript)

    link = LINK.search(text_of(mailbox.wait_for_to(email, "Confirm your e-mail"))).group(1)
    page.goto(link)
    assert "your e-mail address is confirmed" in page.content() and "/sign-in" in page.url
    _visit(page, f"{label}_3_confirmed_sign_in", javascript)
    support.sign_in(page, email, PASSWORD)

    page.get_by_role("link", name="Profile").click()
    _visit(page, f"{label}_5_profile", javascript)
    page.get_by_label("Job title").fill("APS6 User Researcher")
    page.locator("summary", has_text="Design and user research").click()
    page.get_by_label("User research").check()
    page.get_by_role("button", name="Save profile").click()
    assert "Your profile has been saved" in page.content()
    assert page.get_by_label("User research").is_checked()
    _visit(page, f"{label}_6_profile_saved", javascript)

    person = session.scalar(select(User).where(User.email == email))
    session.refresh(person)
    assert person.verified_at is not None and person.agency.abbreviation == "DTA"
    assert person.job_title == "APS6 User Researcher"
    assert [s.name for s in person.skills] == ["User research"]


def test_not_found_page_is_accessible(page):
    response = page.goto("/no-such-page")

    assert response.status == 404
    support.assert_accessible(page)
    support.save_screenshot(page, "not_found")


def test_sign_in_with_errors_is_accessible(page):
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in").click()

    assert page.get_by_role("alert").is_visible()
    support.assert_accessible(page)
    support.save_screenshot(page, "sign_in_errors")


def test_home_and_every_help_page_are_accessible(page):
    page.goto("/")
    support.assert_accessible(page)
    page.get_by_role("link", name="Help", exact=True).first.click()
    support.assert_accessible(page)
    support.save_screenshot(page, "help_index")
    links = [a.get_attribute("href") for a in page.locator("main .card a").all()]

    assert len(links) >= 5
    for href in links:
        page.goto(href)
        assert page.locator("h1").count() == 1
        support.assert_accessible(page)
