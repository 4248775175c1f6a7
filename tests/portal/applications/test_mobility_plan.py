"""The arrangement is a mobility plan: every section, Markdown rendered (never raw), Unicode names, Canberra dates,
the participant's goals and the home manager's conditions; the certificate likewise. Text is read back with pypdf."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from portal.applications import documents
from portal.models import Application, Arrangement
from tests.portal.applications.conftest import apply_form, link_in
from tests.portal.applications.test_paperwork import attachment
from tests.support import factories
from tests.support.pdfs import pdf_text
from workflows import clock
from workflows.calendar import midpoint_check_in

NAMES = {"participant": "Nguyễn Thị Ánh", "home_manager": "Mere Pōmare", "host": "Łukasz Żółć"}
DUTIES = ("Build a **prototype** of the _grants_ tracker:\n\n- interview five applicants\n- test with "
          "[the design system](https://design.gov.au/)\n")
SECTIONS = ("The opportunity", "The three parties", "Duties", "Development goals", "What the opportunity offers",
            "The participant's own goals", "Agreed schedule", "Supervision", "Review points",
            "Conditions of the home manager's approval", "Responsibilities", "Leave, safety and flexible work",
            "Pay and conditions", "Conduct and opting out", "Acknowledgement")


@pytest.fixture
def plan(session):
    host = factories.user(session, name=NAMES["host"], email="lukasz@dta.gov.au")
    person = factories.user(session, name=NAMES["participant"], email="anh@ato.gov.au", agency_abbreviation="ATO")
    person.aps_classification = "el1"
    opportunity = factories.open_opportunity(
        session, host, what_you_do=DUTIES, what_you_gain="Practice in *user research* and **service design**.",
        commitment_kind="hours_per_week", commitment_amount=15,
        start_date=date(2027, 3, 1), end_date=date(2027, 3, 26))
    application = factories.application(
        session, opportunity, person, state="confirmed", home_manager_name=NAMES["home_manager"],
        home_manager_email="mere@ato.gov.au", availability="Tuesdays and Wednesdays",
        development_goals="Run my first usability test.", manager_conditions="On Tuesdays only; not in June.")
    arrangement = factories.arrangement(session, application)
    session.commit()
    return application, arrangement


def arrangement_text(application, arrangement, **kwargs) -> str:
    return pdf_text(documents.arrangement_pdf(application, arrangement, "https://portal.example/o/1",
                                              kwargs.get("title", "Director, Digital")))


def test_the_arrangement_has_every_section_of_the_mobility_plan(plan):
    text = arrangement_text(*plan)

    for heading in SECTIONS:
        assert heading in text, heading


def test_duties_and_what_you_gain_print_as_rendered_markdown_never_raw(plan):
    text = arrangement_text(*plan)

    assert "Build a prototype of the grants tracker" in text and "Practice in user research and service design" in text
    assert "**" not in text and "_grants_" not in text and "- interview" not in text
    assert "interview five applicants test with" in text and text.count("•") == 2  # list items with bullets
    assert "the design system (https://design.gov.au/)" in text  # a link: its text, then its address in brackets


def test_names_classification_goals_conditions_and_supervision_print_as_typed(plan):
    text = arrangement_text(*plan)

    for name in NAMES.values():
        assert name in text, name
    assert "APS classification EL 1" in text
    assert "Run my first usability test." in text
    assert "Participant's availability Tuesdays and Wednesdays" in text
    assert text.count("On Tuesdays only; not in June.") == 2  # in the schedule and among the conditions
    assert f"Host supervisor {NAMES['host']}, APS6 Business Analyst (lukasz@dta.gov.au)" in text
    assert f"Home manager {NAMES['home_manager']}, Director, Digital (mere@ato.gov.au)" in text


def test_the_schedule_states_the_weekly_hours_and_share_of_the_commitment(plan):
    text = arrangement_text(*plan)

    assert "Commitment 15 hours a week" in text
    assert "about 15 hours a week, 40 % of a full-time week" in text


def test_review_points_are_the_start_a_mid_point_working_day_and_the_end(plan):
    text = arrangement_text(*plan)

    assert "Start 1 March 2027" in text and "End and final review 26 March 2027" in text
    assert "Mid-point check-in 12 March 2027" in text  # 13 March is a Saturday: the earlier working day


def test_the_issue_date_is_the_canberra_day(plan):
    with clock.frozen_at(datetime(2027, 2, 28, 13, 30, tzinfo=timezone.utc)):  # 1 March, 12:30 am in Canberra
        text = arrangement_text(*plan)

    assert "issued 1 March 2027" in text


def test_without_goals_conditions_or_classification_the_plan_says_so(session, plan):
    application, arrangement = plan
    application.development_goals = application.manager_conditions = None
    application.applicant.aps_classification = None

    text = arrangement_text(application, arrangement)

    assert "APS classification not recorded" in text
    assert "The home manager attached no conditions." in text and "None written yet" in text


def test_the_certificate_prints_unicode_names_and_the_canberra_completion_day(session, plan):
    application, _ = plan
    application.completed_at = datetime(2027, 3, 26, 14, 0, tzinfo=timezone.utc)  # 27 March, 1 am in Canberra
    certificate = factories.certificate(session, application)

    text = pdf_text(documents.certificate_pdf(application, certificate))

    assert f"This certifies that {NAMES['participant']} of" in text and "Certificate of completion" in text
    assert f"Host manager: {NAMES['host']}. Completed 27 March 2027." in text
    assert "from 1 March 2027 to 26 March 2027" in text


def test_mid_point_is_the_working_day_nearest_the_middle():
    assert midpoint_check_in(date(2027, 3, 1), date(2027, 3, 26)) == date(2027, 3, 12)  # Friday before Sat 13th
    assert midpoint_check_in(date(2027, 3, 1), date(2027, 3, 5)) == date(2027, 3, 3)
    assert midpoint_check_in(date(2027, 3, 6), date(2027, 3, 7)) is None  # a weekend only
    assert midpoint_check_in(None, date(2027, 3, 7)) is None


def test_goals_from_the_application_and_conditions_from_the_approval_reach_the_pdf_and_the_pages(
        web, applicant, opening, session, as_user, owner, mailbox, make_user):
    as_user(applicant)
    web.submit(f"/opportunities/{opening.id}/apply", apply_form(development_goals="Learn to facilitate workshops."))
    as_user(owner)
    application = session.query(Application).one()
    web.get(f"/opportunities/{opening.id}/applicants")
    web.post(f"/applications/{application.id}/select")
    path = link_in(mailbox.wait_for_to("hana.manager@dta.gov.au", "Please approve"), "/applications/decision/")
    web.post("/sign-out")
    web.get(path)

    response = web.post(path, {"decision": "approve", "conditions": "On Tuesdays only."})

    assert response.status_code == 200
    session.refresh(application)
    assert (application.state, application.manager_conditions) == ("confirmed", "On Tuesdays only.")
    text = pdf_text(attachment(mailbox.wait_for_to("ari.applicant@ato.gov.au", "Informal arrangement"),
                               "application/pdf"))
    assert "Learn to facilitate workshops." in text and "On Tuesdays only." in text
    as_user(applicant)
    assert "On Tuesdays only." in web.get("/applications").get_data(as_text=True)
    as_user(owner)
    page = web.get(f"/opportunities/{opening.id}/applicants").get_data(as_text=True)
    assert "On Tuesdays only." in page and "Learn to facilitate workshops." in page
    assert session.query(Arrangement).count() == 1


def test_a_decline_keeps_no_conditions(web, selected, mailbox, session):
    path = link_in(mailbox.wait_for_to("hana.manager@dta.gov.au", "Please approve"), "/applications/decision/")
    web.get(path)

    web.post(path, {"decision": "decline", "conditions": "On Tuesdays only."})

    session.refresh(selected)
    assert (selected.state, selected.manager_conditions) == ("manager_declined", None)
