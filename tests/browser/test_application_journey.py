"""The whole journey in a real browser with the real worker and SMTP capture: apply, select, the home
manager approves from the e-mailed link, the arrangement PDF reaches all three, acknowledgement,
completion, certificate and feedback. Every page on the way is checked with axe (WCAG 2.1 A and AA)."""
from __future__ import annotations

import io

import pytest

pytest.importorskip("playwright")
from pypdf import PdfReader

import support
from portal.models import Application, Opportunity
from tests.support import factories
from tests.support.smtp import link_in
from workflows import clock

pytestmark = pytest.mark.browser
PARTIES = ("ari.applicant@ato.gov.au", "hana.manager@dta.gov.au", "olive.owner@dta.gov.au")


def pdf_text(message) -> str:
    content = next(p.get_content() for p in message.iter_attachments() if p.get_content_type() == "application/pdf")
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_apply_select_approve_arrangement_acknowledge_complete_feedback(live_server, page, session, mailbox):
    owner = factories.user(session, name="Olive Owner", email="olive.owner@dta.gov.au")
    factories.user(session, name="Ari Applicant", email="ari.applicant@ato.gov.au",
                   supervisor=("Hana Manager", "hana.manager@dta.gov.au"))
    opportunity = factories.open_opportunity(session, owner)
    session.commit()

    support.sign_in(page, "ari.applicant@ato.gov.au", factories.PASSWORD)
    page.goto(f"{live_server}/opportunities/{opportunity.id}/apply")
    support.assert_accessible(page)
    page.get_by_label("Why you").fill("I have built dashboards for three agencies.")
    page.get_by_role("button", name="Send application").click()
    page.wait_for_load_state()
    assert "Applied" in page.content()
    support.assert_accessible(page)
    support.sign_out(page)

    support.sign_in(page, "olive.owner@dta.gov.au", factories.PASSWORD)
    page.goto(f"{live_server}/opportunities/{opportunity.id}/applicants")
    support.assert_accessible(page)
    page.get_by_role("button", name="Select Ari Applicant").click()
    page.wait_for_load_state()
    assert "Hana Manager (home manager)" in page.content()
    support.sign_out(page)

    request = mailbox.wait_for_to("hana.manager@dta.gov.au", "Please approve")
    page.goto(link_in(request, "/applications/decision/"))
    support.assert_accessible(page)
    page.get_by_label("Comment").fill("Good development for Ari.")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    assert "decision is recorded" in page.content()

    for address in PARTIES:
        text = pdf_text(mailbox.wait_for_to(address, "Informal arrangement"))
        assert "Ari Applicant" in text and "Hana Manager" in text and "Olive Owner" in text

    page.goto(link_in(mailbox.wait_for_to("ari.applicant@ato.gov.au", "Informal arrangement"),
                      "/arrangements/acknowledge/"))
    support.assert_accessible(page)
    page.get_by_role("button", name="I have read and acknowledge the arrangement").click()
    page.wait_for_load_state()
    assert "the arrangement is acknowledged" in page.content()

    session.expire_all()
    factories.ended(session.get(Opportunity, opportunity.id))  # the work is done: it may now be marked complete
    session.commit()
    support.sign_in(page, "olive.owner@dta.gov.au", factories.PASSWORD)
    page.goto(f"{live_server}/opportunities/{opportunity.id}/applicants")
    page.get_by_role("button", name="Mark Ari Applicant's participation complete").click()
    page.wait_for_load_state()
    assert "Ari Applicant" in pdf_text(mailbox.wait_for_to("ari.applicant@ato.gov.au", "Your certificate"))

    page.get_by_role("link", name="Give feedback on Ari Applicant's participation").click()
    support.assert_accessible(page)
    page.get_by_label("5: excellent").check()
    page.get_by_label("Comment").fill("Ari made the dashboard a success.")
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_load_state()
    assert "Thank you for your feedback" in page.content()
    support.sign_out(page)

    support.sign_in(page, "ari.applicant@ato.gov.au", factories.PASSWORD)
    page.goto(f"{live_server}/profile")
    assert "First opportunity completed" in page.content()  # the record is on the profile
    page.goto(f"{live_server}/applications")
    support.assert_accessible(page)
    assert "Completed" in page.content()
    page.get_by_role("link", name="Informal arrangement (version 1)").click()
    support.assert_accessible(page)
    assert page.content().count("Not yet") == 2


def test_home_manager_queue_and_portal_decision_pages_are_accessible(live_server, page, session):
    owner = factories.user(session, name="Olive Owner")
    factories.user(session, name="Hana Manager", email="hana.manager@dta.gov.au")
    applicant = factories.user(session, name="Ari Applicant")
    session.add(Application(opportunity=factories.open_opportunity(session, owner), applicant=applicant,
                            statement="Keen.", state="manager_approval", home_manager_name="Hana Manager",
                            home_manager_email="hana.manager@dta.gov.au", manager_requested_at=clock.utcnow()))
    session.commit()

    support.sign_in(page, "hana.manager@dta.gov.au", factories.PASSWORD)
    page.goto(f"{live_server}/applications/approvals")
    support.assert_accessible(page)
    page.get_by_role("link", name="Approve or decline Ari Applicant").click()
    support.assert_accessible(page)
    page.get_by_role("button", name="Decline").click()
    page.wait_for_load_state()

    assert "Nobody is waiting for your approval" in page.content()
