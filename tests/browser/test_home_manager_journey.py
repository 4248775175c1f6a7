"""Journey 4 in a real browser (issue 7): one home manager declines; another never answers and the
request lapses once the clock has moved past the lapse period.

Chromium drives the live test app; the real Celery worker sends every e-mail to the real SMTP capture
and runs the sweeps, handed to it exactly as beat hands them (the entries of `beat_schedule`). The live
server and the worker are threads of this process, so `clock.moved_by` moves time for both. Every page
visited, as every role, is checked with axe-core (WCAG 2.1 A and AA); key pages leave screenshots in
test-artifacts/.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Page
from sqlalchemy import select

import support
from portal.models import Application
from tasks.celery_app import celery
from tests.support import factories
from tests.support.smtp import link_in, text_of
from workflows import clock
from workflows.calendar import add_working_days

pytestmark = pytest.mark.browser
TITLE = "Build a service dashboard"
HANA, SAM = "hana.manager@ato.gov.au", "sam.silent@abs.gov.au"
DECLINE_REASON = "We are short-staffed until the end of the quarter."


def visit(page: Page, name: str | None = None) -> None:
    support.visit(page, f"journey4_{name}" if name else None)


def sign_in(page: Page, email: str) -> None:
    """Sign in and check the page each role lands on."""
    support.sign_in(page, email, factories.PASSWORD)
    visit(page)


def apply(page: Page, email: str, opportunity_id: int) -> None:
    sign_in(page, email)
    page.goto(f"/opportunities/{opportunity_id}")
    visit(page)
    page.get_by_role("link", name="Apply for this opportunity").click()
    visit(page, f"01_apply_{email.split('.')[0]}")
    page.get_by_label("Why you").fill("I have built dashboards for two agencies and would love to help.")
    page.get_by_role("button", name="Send application").click()
    page.wait_for_load_state()
    assert "Applied" in page.content()
    visit(page)
    support.sign_out(page)


def status_on_my_applications(page: Page) -> str:
    page.goto("/applications")
    return page.get_by_role("region", name=TITLE).locator(".status").inner_text()


def applicant_card(page: Page, name: str):
    return page.get_by_role("region", name=name)


def run_home_manager_sweeps(settings) -> None:
    """What beat sends every few minutes: the lapse sweep, then the reminders, to the real worker's queue."""
    schedule = celery.conf.beat_schedule  # as the factory bound it
    for name in ("home-manager-lapse", "home-manager-reminders"):
        entry = schedule[f"sweep-{name}"]
        celery.send_task(entry["task"], args=entry["args"])


def moved_to_working_day(requested: datetime, working_days: int) -> timedelta:
    """How far to move the clock to reach 9 am Canberra time on the day `working_days` working days
    after the request (weekends and national holidays skipped, as the sweeps count them)."""
    due = add_working_days(requested.astimezone(clock.CANBERRA).date(), working_days)
    return datetime.combine(due, time(9), tzinfo=clock.CANBERRA) - clock.utcnow()


def state_of(session, application_id: int) -> str:
    session.expire_all()
    return session.scalar(select(Application.state).where(Application.id == application_id))


def test_one_home_manager_declines_and_another_never_answers_so_the_request_lapses(
        live_server, browser, page, session, mailbox, settings):
    owner = factories.user(session, name="Olive Owner", email="olive.owner@dta.gov.au")
    ari = factories.user(session, name="Ari Applicant", email="ari.applicant@ato.gov.au", agency_abbreviation="ATO",
                         supervisor=("Hana Manager", HANA))
    bo = factories.user(session, name="Bo Bidder", email="bo.bidder@abs.gov.au", agency_abbreviation="ABS",
                        supervisor=("Sam Silent", SAM))
    opportunity = factories.open_opportunity(session, owner, title=TITLE, positions=1)
    session.commit()
    applicants_page = f"/opportunities/{opportunity.id}/applicants"
    manager = browser.new_context(base_url=live_server).new_page()  # no account: acts through the e-mailed links

    try:
        for person in (ari, bo):
            apply(page, person.email, opportunity.id)

        # The owner shortlists and selects Ari: the only position is taken, Bo cannot be selected now.
        sign_in(page, owner.email)
        page.goto(applicants_page)
        assert "2 applications · 1 of 1 position open" in page.content()
        visit(page, "02_owner_applicants")
        page.get_by_role("button", name="Shortlist Ari Applicant").click()
        page.wait_for_load_state()
        assert applicant_card(page, "Ari Applicant").locator(".status").inner_text() == "Shortlisted"
        visit(page)
        page.get_by_role("button", name="Select Ari Applicant").click()
        page.wait_for_load_state()
        assert "Hana Manager (home manager)" in applicant_card(page, "Ari Applicant").inner_text()
        assert "0 of 1 position open" in page.content()
        assert page.get_by_role("button", name="Select Bo Bidder").count() == 0
        visit(page, "03_owner_ari_selected")
        support.sign_out(page)

        # Hana declines from the e-mailed link, with a reason; the link then cannot be used again.
        hana_link = link_in(mailbox.wait_for_to(HANA, "Please approve"), "/applications/decision/")
        manager.goto(hana_link)
        assert manager.get_by_role("heading", level=1).inner_text() == "Can Ari Applicant take part?"
        visit(manager, "04_hana_decision")
        manager.get_by_label("Comment").fill(DECLINE_REASON)
        manager.get_by_role("button", name="Decline").click()
        manager.wait_for_load_state()
        assert "Thank you: your decision is recorded" in manager.content()
        assert "the participation is home manager declined" in manager.content()
        visit(manager, "05_hana_declined")
        assert manager.goto(hana_link).status == 410
        assert "This link has already been used" in manager.content()
        visit(manager)

        # Ari and the owner are told by e-mail and see it in the portal; the position is free again.
        for address in (ari.email, owner.email):
            assert DECLINE_REASON in text_of(mailbox.wait_for_to(address, "Not approved: Ari Applicant"))
        assert "The position is free again" in text_of(mailbox.wait_for_to(owner.email, "Not approved"))
        sign_in(page, ari.email)
        assert status_on_my_applications(page) == "Home manager declined"
        card = page.get_by_role("region", name=TITLE)
        assert DECLINE_REASON in card.inner_text() and "Nothing: this application is closed." in card.inner_text()
        visit(page, "06_ari_my_applications_declined")
        support.sign_out(page)

        sign_in(page, owner.email)
        page.goto(f"/opportunities/{opportunity.id}")
        assert "1 of 1 position open" in page.content()
        visit(page)
        page.goto(applicants_page)
        assert applicant_card(page, "Ari Applicant").locator(".status").inner_text() == "Home manager declined"
        assert "1 of 1 position open" in page.content()
        assert page.get_by_role("button", name="Select Ari Applicant").count() == 0
        visit(page, "07_owner_position_free_again")

        # The owner selects Bo; Bo's home manager, Sam, gets the request and never answers.
        page.get_by_role("button", name="Select Bo Bidder").click()
        page.wait_for_load_state()
        assert "Sam Silent (home manager)" in applicant_card(page, "Bo Bidder").inner_text()
        visit(page)
        support.sign_out(page)
        sam_link = link_in(mailbox.wait_for_to(SAM, "Please approve"), "/applications/decision/")
        bo_application = session.scalar(select(Application).where(Application.applicant_id == bo.id))
        requested = bo_application.manager_requested_at

        # Beat's sweeps run on the days the reminders are due: after 3, then 6 working days.
        for step, working_days in enumerate((3, 6), start=1):
            with clock.moved_by(moved_to_working_day(requested, working_days)):
                run_home_manager_sweeps(settings)
                reminders = mailbox.wait_for(lambda m: SAM in m["To"] and "Reminder" in m["Subject"], count=step)
            assert "Bo Bidder is waiting for your approval" in reminders[-1]["Subject"]
            assert "lapses" in text_of(reminders[-1])
            assert state_of(session, bo_application.id) == "manager_approval"
        reminder_link = link_in(reminders[-1], "/applications/decision/")

        # Past the lapse period (10 working days) the next sweep lapses the request and tells both sides.
        with clock.moved_by(moved_to_working_day(requested, 10)):
            run_home_manager_sweeps(settings)
            for address in (bo.email, owner.email):
                assert "did not answer" in text_of(mailbox.wait_for_to(address, "No answer from the home manager"))
            assert state_of(session, bo_application.id) == "lapsed"
            assert len([m for m in mailbox.to(SAM) if "Reminder" in m["Subject"]]) == 2

            sign_in(page, bo.email)
            assert status_on_my_applications(page) == "Lapsed"
            visit(page, "08_bo_my_applications_lapsed")
            support.sign_out(page)

            sign_in(page, owner.email)
            page.goto(applicants_page)
            assert applicant_card(page, "Bo Bidder").locator(".status").inner_text() == "Lapsed"
            assert "1 of 1 position open" in page.content()
            visit(page, "09_owner_bo_lapsed")
            support.sign_out(page)

            # Sam's old links, the request and the reminder, now say clearly nothing is needed.
            for link in (sam_link, reminder_link):
                assert manager.goto(link).status == 410
                assert manager.get_by_role("heading", level=1).inner_text() == "This request has expired"
                assert "Your approval is no longer needed" in manager.content()
                assert manager.get_by_role("button", name="Approve").count() == 0
            visit(manager, "10_sam_old_link_expired")
    finally:
        manager.context.close()


def test_a_home_manager_sees_what_the_work_asks_and_agrees_to_a_total_above_20_percent(
        live_server, browser, page, session, mailbox):
    """Hana opens the e-mailed link (no account): the duties rendered from Markdown, the schedule Ari asked for,
    the time share beside Ari's other participation and the total; above 20 % approving needs her tick."""
    owner = factories.user(session, name="Olive Owner", email="olive.owner@dta.gov.au")
    ari = factories.user(session, name="Ari Applicant", email="ari.applicant@ato.gov.au", agency_abbreviation="ATO",
                         supervisor=("Hana Manager", HANA))
    elsewhere = factories.open_opportunity(session, factories.user(session), title="Data cleaning sprint",
                                           commitment_kind="percent", commitment_amount=15)
    factories.application(session, elsewhere, ari, state="confirmed")
    opportunity = factories.open_opportunity(session, owner, title=TITLE, commitment_amount=4,
                                             what_you_do="Build the **first release** of the dashboard.")
    factories.application(session, opportunity, ari, availability="Tuesdays and Thursday mornings")
    session.commit()
    manager = browser.new_context(base_url=live_server).new_page()
    try:
        sign_in(page, owner.email)
        page.goto(f"/opportunities/{opportunity.id}/applicants")
        page.get_by_role("button", name="Select Ari Applicant").click()
        page.wait_for_load_state()
        support.sign_out(page)

        manager.goto(link_in(mailbox.wait_for_to(HANA, "Please approve"), "/applications/decision/"))
        assert manager.locator("strong", has_text="first release").count() == 1  # Markdown, not **raw** text
        assert "**" not in manager.locator("main").inner_text()
        assert "Tuesdays and Thursday mornings" in manager.content()
        time_table = manager.get_by_role("table")
        assert "Data cleaning sprint" in time_table.inner_text() and "15 %" in time_table.inner_text()
        assert manager.locator("#total-share").inner_text() == "25.7 %"
        visit(manager, "11_hana_decision_with_total")

        manager.get_by_role("button", name="Approve").click()
        manager.wait_for_load_state()
        assert "Tick the box to agree to the total" in manager.locator("#agree_total-error").inner_text()
        visit(manager, "12_hana_total_not_agreed")

        manager.get_by_label("I agree to the total time they would spend on participations").check()
        manager.get_by_role("button", name="Approve").click()
        manager.wait_for_load_state()
        assert "Thank you: your decision is recorded" in manager.content()
        visit(manager, "13_hana_approved_total")

        manager.goto("/help/for-managers")  # the guidance the page links to opens without an account
        assert manager.get_by_role("heading", level=1).inner_text() == "Information for managers"
        visit(manager)
    finally:
        manager.context.close()
