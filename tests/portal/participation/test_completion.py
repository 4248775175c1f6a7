"""Completion: feedback from both sides, endorsed skills and badges, the reminder to mark complete."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts.recognition import recognition
from portal.models import Application, Feedback
from tests.support.applying import link_in
from tests.support import factories
from workflows import clock


@pytest.fixture
def completed(web, selected, mailbox, session, as_user, owner, opening):
    opening.skills = factories.skills(session)[:2]
    session.commit()
    path = link_in(mailbox.wait_for_to("hana.manager@dta.gov.au", "Please approve"), "/applications/decision/")
    web.get(path)
    web.post(path, {"decision": "approve"})
    as_user(owner)
    with clock.moved_by(timedelta(days=(opening.end_date - clock.canberra_today()).days)):
        web.get(f"/opportunities/{opening.id}/applicants")
        assert web.post(f"/applications/{selected.id}/complete").status_code == 302
    session.refresh(selected)
    return selected


def test_host_is_asked_for_feedback_when_marking_complete(completed, mailbox):
    message = mailbox.wait_for_to("olive.owner@dta.gov.au", "How did Ari Applicant go")

    assert link_in(message, f"/applications/{completed.id}/feedback")


def test_host_rates_and_endorses_skills_that_show_on_the_participants_record(web, completed, session, as_user,
                                                                            applicant, opening):
    skill = opening.skills[0]

    response = web.submit(f"/applications/{completed.id}/feedback",
                          {"rating": "5", "endorsed_skills": [str(skill.id)], "comment": "Superb work."})

    assert response.status_code == 302
    stored = session.scalar(select(Feedback))
    assert (stored.author_role, stored.rating, stored.endorsed_skill_ids) == ("owner", 5, [skill.id])
    as_user(applicant)
    page = web.get("/profile").get_data(as_text=True)  # the record is on the profile; My applications links to it
    assert skill.name in page and "First opportunity completed" in page
    assert 'href="/profile"' in web.get("/applications").get_data(as_text=True)


def test_participant_gives_feedback_once(web, completed, as_user, applicant, session):
    as_user(applicant)
    web.submit(f"/applications/{completed.id}/feedback", {"rating": "4", "comment": "Great team."})

    again = web.get(f"/applications/{completed.id}/feedback")

    assert "already given feedback" in again.get_data(as_text=True)
    assert session.scalar(select(Feedback.author_role)) == "participant"


def test_feedback_without_a_rating_is_refused_next_to_the_field(web, completed, session):
    response = web.submit(f"/applications/{completed.id}/feedback", {"comment": "No rating"})

    assert response.status_code == 422 and "Choose a rating" in response.get_data(as_text=True)
    assert session.scalar(select(Feedback.id)) is None


def test_feedback_page_is_not_found_for_others(web, completed, as_user, make_user):
    as_user(make_user())

    assert web.get(f"/applications/{completed.id}/feedback").status_code == 404


def test_badges_follow_the_number_of_completions(session, owner, applicant):
    for _ in range(3):
        opportunity = factories.open_opportunity(session, owner)
        session.add(Application(opportunity=opportunity, applicant=applicant, statement="x", state="completed",
                                home_manager_name="M", home_manager_email="m@dta.gov.au",
                                completed_at=clock.utcnow()))
    session.commit()

    assert recognition(session, applicant.id).badges == ["First opportunity completed",
                                                                 "3 opportunities completed"]
    assert recognition(session, owner.id).badges == ["First opportunity hosted"]


def test_hosts_are_reminded_a_week_after_the_end_date_once(web, selected, mailbox, run_sweep, session, opening):
    path = link_in(mailbox.wait_for_to("hana.manager@dta.gov.au", "Please approve"), "/applications/decision/")
    web.get(path)
    web.post(path, {"decision": "approve"})
    days_to_end = (opening.end_date - clock.canberra_today()).days

    with clock.moved_by(timedelta(days=days_to_end + 6)):
        early = run_sweep("completion-reminders")
    with clock.moved_by(timedelta(days=days_to_end + 7)):
        due = run_sweep("completion-reminders")
        again = run_sweep("completion-reminders")

    assert early == [] and len(due) == 1 and again == []
    assert mailbox.wait_for_to("olive.owner@dta.gov.au", "Please mark Ari Applicant")


def test_missing_acknowledgements_are_reminded_after_three_working_days(web, selected, mailbox, run_sweep):
    path = link_in(mailbox.wait_for_to("hana.manager@dta.gov.au", "Please approve"), "/applications/decision/")
    web.get(path)
    web.post(path, {"decision": "approve"})
    ack_path = link_in(mailbox.wait_for_to("ari.applicant@ato.gov.au", "Informal arrangement"),
                       "/arrangements/acknowledge/")
    web.get(ack_path)
    web.post(ack_path)

    with clock.moved_by(timedelta(days=7)):
        reminded = run_sweep("arrangement-acknowledgement-reminders")
        again = run_sweep("arrangement-acknowledgement-reminders")

    assert sorted(line.split()[3] for line in reminded) == ["hana.manager@dta.gov.au", "olive.owner@dta.gov.au"]
    assert again == []
    assert mailbox.wait_for_to("hana.manager@dta.gov.au", "Reminder: Informal arrangement")
