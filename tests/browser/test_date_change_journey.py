"""Issue 13 in a real browser: the host changes a confirmed participation's dates, the participant's and host's
pages say the new dates wait for the home manager, the home manager agrees by the e-mailed link, version 2 of the
arrangement is issued only then, and the participant acknowledges it signed in. Every page visited passes axe."""
from __future__ import annotations

from datetime import timedelta

import pytest

pytest.importorskip("playwright")

import support
from tests.support import factories
from tests.support.smtp import link_in
from workflows import clock

pytestmark = pytest.mark.browser


def _click(page, role: str, name: str) -> None:
    page.get_by_role(role, name=name).first.click()
    page.wait_for_load_state()


def test_new_dates_wait_for_the_home_manager_then_version_two_is_acknowledged_signed_in(live_server, page, session,
                                                                                        mailbox):
    today = clock.canberra_today()
    host = factories.user(session, name="Olive Owner", email="olive.owner@dta.gov.au")
    participant = factories.user(session, name="Ari Applicant", email="ari.applicant@ato.gov.au",
                                 supervisor=("Hana Manager", "hana.manager@dta.gov.au"))
    opportunity = factories.open_opportunity(session, host, title="Research sprint", positions=2,
                                             start_date=today + timedelta(days=20), end_date=today + timedelta(days=60),
                                             commitment_kind="hours_per_week", commitment_amount=4)
    application = factories.application(session, opportunity, participant, state="confirmed")
    factories.arrangement(session, application, acknowledged=("participant", "home_manager", "host_manager"))
    session.commit()
    new_start, new_end = today + timedelta(days=34), today + timedelta(days=74)

    support.sign_in(page, host.email, factories.PASSWORD)
    page.goto(f"/opportunities/{opportunity.id}/edit")
    page.get_by_label("Start date").fill(new_start.isoformat())
    page.get_by_label("End date").fill(new_end.isoformat())
    _click(page, "button", "Save")
    page.goto(f"/opportunities/{opportunity.id}/applicants")
    assert "New dates waiting for the home manager, Hana Manager" in page.content()
    support.visit(page, "date_change_1_host_applicants")
    support.sign_out(page)

    support.sign_in(page, participant.email, factories.PASSWORD)
    page.goto("/applications")
    assert "New dates waiting for your home manager" in page.content()
    assert new_start.strftime("%-d %B %Y") in page.content()
    support.visit(page, "date_change_2_participant_waiting")
    support.sign_out(page)
    assert not mailbox.to("ari.applicant@ato.gov.au") or not any(
        "(version 2)" in m["Subject"] for m in mailbox.to("ari.applicant@ato.gov.au"))

    page.goto(link_in(mailbox.wait_for_to("hana.manager@dta.gov.au", "New dates for Ari Applicant"),
                      "/applications/date-change/"))
    support.visit(page, "date_change_3_home_manager_decides")
    page.get_by_label("Comment").fill("Fine after the budget.")
    _click(page, "button", "Agree to the new dates")
    assert "You agreed to the new dates" in page.content()
    support.visit(page, "date_change_4_agreed")

    mailbox.wait_for_to("ari.applicant@ato.gov.au", "(version 2)")
    support.sign_in(page, participant.email, factories.PASSWORD)
    _click(page, "link", "Read and acknowledge the arrangement for “Research sprint”")
    assert "Version 2" in page.content()
    support.visit(page, "date_change_5_arrangement_version_2")
    _click(page, "button", "I have read and acknowledge the arrangement")
    assert "you acknowledged version 2 of the arrangement" in page.content()
    assert "Nothing is waiting for you right now." in page.goto("/").text()
    support.visit(page)
    support.sign_out(page)
