"""The shared field rules (portal/forms.py, portal/text.py): one-line text, numbers from requests, checkboxes."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import text
from portal.models import Application, Opportunity, User
from tests.support import factories

FORGED_NUMBERS = ["abc", "1.5", "-1", "٣", "99999999999999999999999", str(2**31), "1" * 5000]
CONTROLS = ["Ana\r\nBcc: all@agency.gov.au", "Ana\tSmith", "Ana\x00", "\u202eAna", "Ana\u200bSmith", "Ana\x85"]


@pytest.mark.parametrize("value", CONTROLS)
def test_one_line_text_refuses_every_control_and_format_character(value):
    assert text.problem(value) == text.ONE_LINE_MESSAGE
    assert text.problem(value.replace("\r\n", "\n"), multi_line=True) in (None, text.MULTI_LINE_MESSAGE)


def test_multi_line_text_keeps_line_breaks_and_tabs_but_not_other_controls():
    assert text.problem("First line\r\nSecond\tline", multi_line=True) is None
    assert text.problem("Pay \u202eyreve\u202c", multi_line=True) == text.MULTI_LINE_MESSAGE
    assert text.problem("bell\x07", multi_line=True) == text.MULTI_LINE_MESSAGE


def test_names_that_need_joiners_and_letters_from_any_script_are_fine():
    for name in ("Nguyễn Thị Minh", "Mehrdad Zare\u200cian", "Pōmare", "👩🏽\u200d💻 team", "O'Brien-Smith"):
        assert text.problem(name) is None


def test_one_line_cleaning_makes_each_run_of_controls_one_space():
    assert text.one_line("  Ana\r\n\r\nSmith\t\u202e ") == "Ana Smith"
    assert text.one_line(None) is None


def test_the_published_api_patterns_say_what_the_forms_say():
    import re

    for value in CONTROLS + ["Plain name", "Two\nlines"]:
        assert (re.match(text.ONE_LINE_PATTERN, value) is not None) == (text.problem(value) is None), value
        assert (re.match(text.MULTI_LINE_PATTERN, value) is not None) == \
            (text.problem(value, multi_line=True) is None), value


def test_a_line_break_in_a_one_line_field_is_refused_next_to_the_field(web, signed_in, session):
    person = signed_in()

    response = web.submit("/opportunities/new", {"title": "Data\r\nBcc: everyone", "kind": "project",
                                                 "work_mode": "remote", "commitment_kind": "hours_per_week",
                                                 "positions": "1", "clearance": "none"})

    assert response.status_code == 422
    assert text.ONE_LINE_MESSAGE in response.get_data(as_text=True)
    assert session.scalar(select(Opportunity.id).where(Opportunity.owner_id == person.id)) is None


@pytest.mark.parametrize("version", FORGED_NUMBERS)
def test_a_forged_version_on_an_owner_action_is_refused_and_changes_nothing(web, signed_in, session, version):
    owner = signed_in()
    opening = factories.open_opportunity(session, owner)
    session.commit()
    web.get(f"/opportunities/{opening.id}")

    paused = web.post(f"/opportunities/{opening.id}/applications-toggle", {"version": version})
    closed = web.post(f"/opportunities/{opening.id}/close-selection", {"version": version})
    completed = web.post(f"/opportunities/{opening.id}/complete", {"version": version, "completed": version})

    assert [paused.status_code, closed.status_code, completed.status_code] == [422, 422, 422]
    session.expire_all()
    stored = session.get(Opportunity, opening.id)
    assert (stored.state, stored.accepting_applications, stored.version) == ("open", True, opening.version)


@pytest.mark.parametrize("version", FORGED_NUMBERS[:3] + FORGED_NUMBERS[-2:])
def test_a_forged_version_when_withdrawing_or_shortlisting_is_refused(web, signed_in, session, make_user, version):
    owner = make_user()
    opening = factories.open_opportunity(session, owner)
    applicant = make_user()
    application = Application(opportunity=opening, applicant=applicant, state="applied", version=1, statement="Keen",
                              home_manager_name="Hana Manager", home_manager_email="hana.manager@dta.gov.au")
    session.add(application)
    session.commit()

    signed_in(applicant)
    web.get(f"/applications/{application.id}/withdraw")
    withdrawn = web.post(f"/applications/{application.id}/withdraw", {"version": version})
    web.post("/sign-out")
    signed_in(owner)
    web.get(f"/opportunities/{opening.id}/applicants")
    shortlisted = web.post(f"/applications/{application.id}/shortlist", {"version": version})

    assert (withdrawn.status_code, shortlisted.status_code) == (422, 422)
    session.expire_all()
    assert session.get(Application, application.id).state == "applied"


def test_the_right_version_still_goes_through(web, signed_in, session):
    owner = signed_in()
    opening = factories.open_opportunity(session, owner)
    session.commit()
    web.get(f"/opportunities/{opening.id}")

    response = web.post(f"/opportunities/{opening.id}/applications-toggle", {"version": str(opening.version)})

    assert response.status_code == 302
    session.expire_all()
    assert session.get(Opportunity, opening.id).accepting_applications is False


@pytest.mark.parametrize("skills", ["", "abc", " "])
def test_saving_the_profile_with_a_blank_or_word_skill_is_refused_not_a_500(web, signed_in, session, skills):
    person = signed_in()
    web.get("/profile")

    response = web.post("/profile", {"name": "Renamed Person", "agency_id": str(person.agency_id),
                                     "skills": skills})

    assert response.status_code == 422 and "Choose only from the boxes listed" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, person.id).name == person.name


def test_a_lone_surrogate_is_refused_in_both_kinds_of_text():
    assert text.problem("Ana\ud800") == text.ONE_LINE_MESSAGE
    assert text.problem("Ana\udfff", multi_line=True) == text.MULTI_LINE_MESSAGE
    assert text.one_line("Ana\ud800Smith") == "Ana Smith"
