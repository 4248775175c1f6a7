"""Issue 13 in a real browser, with JavaScript on (axe checks every page) and off: the host finishes a participation early (a reason is asked for),
both sides give feedback and see each other's only then, the participant puts the host's comment on their profile,
the home page is each person's to-do list, and the reports show feedback figures."""
from __future__ import annotations

from datetime import timedelta

import pytest

pytest.importorskip("playwright")

import support
from portal.models import Feedback
from tests.support import factories
from tests.support.pdfs import pdf_text
from tests.support.smtp import link_in
from workflows import clock

pytestmark = pytest.mark.browser

HOSTS_COMMENT = "Ari ran every research session with care."


@pytest.fixture
def page(page_either_way):
    return page_either_way


def test_early_finish_feedback_both_ways_and_the_to_do_lists(live_server, page, session):
    today = clock.canberra_today()
    host = factories.user(session, name="Olive Owner", email="olive.owner@dta.gov.au")
    participant = factories.user(session, name="Ari Applicant", email="ari.applicant@ato.gov.au")
    opportunity = factories.open_opportunity(session, host, title="Research sprint", positions=2,
                                             start_date=today - timedelta(days=10), end_date=today + timedelta(days=20))
    application = factories.application(session, opportunity, participant, state="confirmed")
    factories.arrangement(session, application, acknowledged=("participant", "home_manager", "host_manager"))
    session.commit()

    support.sign_in(page, host.email, factories.PASSWORD)
    support.visit_either_way(page, "participation_1_host_to_do")
    assert "Review the applicants" not in page.content()
    page.goto(f"/opportunities/{opportunity.id}/applicants")
    support.click(page, "link", "Mark Ari Applicant’s participation complete (finishing early)")
    support.visit_either_way(page, "participation_2_complete_early")
    support.click(page, "button", "Mark complete")
    assert "say why it is finishing early" in page.content()
    support.visit_either_way(page, "participation_3_reason_needed")
    page.get_by_label("Why is the work finishing early?").fill("The research finished ahead of plan.")
    support.click(page, "button", "Mark complete")
    assert "early: The research finished ahead of plan." in page.content()
    assert "1 of 2 positions open" in page.content()
    page.goto("/")
    support.click(page, "link", "How did Ari Applicant go on “Research sprint”?")
    page.get_by_label("5: excellent").check()
    page.get_by_label("Comment").fill(HOSTS_COMMENT)
    support.click(page, "button", "Send feedback")
    support.sign_out(page)

    support.sign_in(page, participant.email, factories.PASSWORD)
    support.visit_either_way(page, "participation_4_participant_to_do")
    support.click(page, "link", "How did “Research sprint” go?")
    assert HOSTS_COMMENT not in page.content() and "once you have both given feedback" in page.content()
    support.visit_either_way(page, "participation_5_feedback_form")
    page.get_by_label("4: good").check()
    support.click(page, "button", "Send feedback")
    page.goto(f"/applications/{application.id}/feedback")
    assert HOSTS_COMMENT in page.content()
    support.visit_either_way(page, "participation_6_hosts_feedback")
    page.get_by_label("Yes, show it on my profile").check()
    support.click(page, "button", "Save")
    page.goto("/profile")
    assert HOSTS_COMMENT in page.content()
    support.visit_either_way(page, "participation_7_profile_comment")
    page.goto("/")
    assert "Nothing is waiting for you right now." in page.content()
    support.visit_either_way(page)
    support.sign_out(page)


def test_reports_show_feedback_figures_for_groups_of_five(live_server, page, session):
    admin = factories.site_admin(session)
    host = factories.user(session, agency_abbreviation="DTA")
    for rating in (5, 4, 4, 5, 3):
        opportunity = factories.opportunity(session, host, state="completed")
        application = factories.application(session, opportunity, state="completed")
        session.add(Feedback(application_id=application.id, author_role="participant",
                             author_id=application.applicant_id, rating=rating))
    session.commit()

    support.sign_in(page, admin.email, factories.PASSWORD)
    page.goto("/reports/")
    assert "Feedback by host agency and opportunity type" in page.content() and "4.2" in page.content()
    support.visit_either_way(page, "participation_8_reports_feedback")


def test_the_arrangement_is_a_mobility_plan_with_goals_conditions_and_rendered_duties(live_server, page, session,
                                                                                     mailbox):
    """The applicant's goals (application form) and the home manager's conditions (approval page) reach the PDF the
    participant downloads, with the duties' Markdown rendered, Unicode names and Canberra dates."""
    today = clock.canberra_today()
    host = factories.user(session, name="Łukasz Żółć", email="olive.owner@dta.gov.au")
    participant = factories.user(session, name="Nguyễn Thị Ánh", email="ari.applicant@ato.gov.au",
                                 supervisor=("Mere Pōmare", "hana.manager@dta.gov.au"))
    participant.aps_classification = "aps6"
    opportunity = factories.open_opportunity(
        session, host, title="Research sprint", what_you_do="Run **usability** sessions:\n\n- plan\n- report\n",
        start_date=today + timedelta(days=14), end_date=today + timedelta(days=41))
    session.commit()

    support.sign_in(page, participant.email, factories.PASSWORD)
    page.goto(f"/opportunities/{opportunity.id}/apply")
    support.visit_either_way(page, "mobility_0_apply_with_goals")
    page.get_by_label("Why you").fill("I have run usability tests before.")
    page.get_by_label("Your development goals").fill("Lead a research synthesis workshop.")
    support.click(page, "button", "Send application")
    support.sign_out(page)
    support.sign_in(page, host.email, factories.PASSWORD)
    page.goto(f"/opportunities/{opportunity.id}/applicants")
    assert "Lead a research synthesis workshop." in page.content()
    support.visit_either_way(page)
    support.click(page, "button", "Select Nguyễn Thị Ánh")
    support.sign_out(page)

    page.goto(link_in(mailbox.wait_for_to("hana.manager@dta.gov.au", "Please approve"), "/applications/decision/"))
    support.visit_either_way(page, "mobility_1_decision_with_conditions")
    page.get_by_label("Conditions of your approval").fill("On Tuesdays only.")
    support.click(page, "button", "Approve")
    assert "decision is recorded" in page.content()
    mailbox.wait_for_to(participant.email, "Informal arrangement")

    support.sign_in(page, participant.email, factories.PASSWORD)
    page.goto("/applications")
    assert "On Tuesdays only." in page.content()
    support.visit_either_way(page, "mobility_2_conditions_on_my_applications")
    support.click(page, "link", "Informal arrangement (version 1)")
    support.visit_either_way(page, "mobility_3_arrangement_page")
    arrangement_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    response = page.request.get(f"/arrangements/{arrangement_id}/pdf")
    text = pdf_text(response.body())

    for section in ("Duties", "Development goals", "Agreed schedule", "Supervision", "Review points",
                    "Conditions of the home manager's approval"):
        assert section in text, section
    assert "Run usability sessions" in text and "**" not in text
    assert "Lead a research synthesis workshop." in text and "On Tuesdays only." in text
    assert "Nguyễn Thị Ánh" in text and "Mere Pōmare" in text and "Łukasz Żółć" in text
    assert "APS classification APS 6" in text
    assert f"issued {today.strftime('%-d %B %Y')}" in text
    assert f"Start {(today + timedelta(days=14)).strftime('%-d %B %Y')}" in text
    support.sign_out(page)
