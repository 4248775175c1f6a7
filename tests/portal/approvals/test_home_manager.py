"""Home-manager approval: the signed link, the in-portal queue, reminders and lapse by the clock."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from portal.applications import services
from workflows.calendar import waited_since
from portal.extensions import db as database
from portal.models import Application, AuditEvent, Opportunity
from portal.opportunities import places
from portal.sweeps import load_all
from tests.support.applying import link_in
from tests.support import factories
from workflows import clock

MONDAY_MORNING = datetime(2026, 3, 2, 10, 0, tzinfo=clock.CANBERRA)  # no national holiday for three weeks


def decision_path(mailbox) -> str:
    return link_in(mailbox.wait_for_to("hana.manager@dta.gov.au", "Please approve"), "/applications/decision/")


def test_home_manager_approves_from_the_emailed_link_without_an_account(web, selected, session, mailbox):
    path = decision_path(mailbox)
    web.post("/sign-out")

    page = web.get(path)
    response = web.post(path, {"decision": "approve", "comment": "Happy for Ari to do this."})

    assert "Security clearance" in page.get_data(as_text=True) and "Olive Owner" in page.get_data(as_text=True)
    assert response.status_code == 200 and "decision is recorded" in response.get_data(as_text=True)
    session.refresh(selected)
    assert selected.state == "confirmed" and selected.manager_comment == "Happy for Ari to do this."
    assert mailbox.wait_for_to("ari.applicant@ato.gov.au", "Confirmed")
    assert mailbox.wait_for_to("olive.owner@dta.gov.au", "Confirmed")


def test_home_manager_link_cannot_be_reused(web, selected, mailbox):
    path = decision_path(mailbox)
    web.get(path)
    web.post(path, {"decision": "decline"})

    again = web.get(path)

    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)


def test_declining_tells_both_sides_and_frees_the_position(web, selected, session, mailbox, opening):
    path = decision_path(mailbox)
    web.get(path)

    web.post(path, {"decision": "decline", "comment": "Busy quarter."})

    session.refresh(selected)
    assert selected.state == "manager_declined"
    assert places.positions_open_now(session, opening) == 1
    assert "Busy quarter." in mailbox.wait_for_to("olive.owner@dta.gov.au", "Not approved").get_body(("plain",)).get_content()


def test_a_decision_without_approve_or_decline_changes_nothing(web, selected, session, mailbox):
    path = decision_path(mailbox)
    web.get(path)

    response = web.post(path, {"comment": "Hmm"})

    assert response.status_code == 422 and "Choose approve or decline" in response.get_data(as_text=True)
    session.refresh(selected)
    assert selected.state == "manager_approval"
    assert web.get(path).status_code == 200


def test_home_manager_with_an_account_decides_from_the_portal_queue(web, selected, as_user, make_user, session):
    as_user(make_user(name="Hana Manager", email="hana.manager@dta.gov.au"))

    queue = web.get("/applications/approvals").get_data(as_text=True)
    web.get(f"/applications/{selected.id}/decision")
    response = web.post(f"/applications/{selected.id}/decision", {"decision": "approve"})

    assert "Ari Applicant" in queue and "Build a service dashboard" in queue
    assert response.status_code == 302
    session.refresh(selected)
    assert selected.state == "confirmed"


def test_nobody_else_can_open_the_portal_decision_page(web, selected, as_user, make_user):
    as_user(make_user())

    assert web.get(f"/applications/{selected.id}/decision").status_code == 404


def test_everyone_sees_who_the_process_waits_on(web, selected, as_user, applicant, owner):
    hosts_view = web.get(f"/opportunities/{selected.opportunity_id}/applicants").get_data(as_text=True)
    as_user(applicant)
    tracker = web.get("/applications").get_data(as_text=True)

    assert "Hana Manager (home manager)" in hosts_view
    assert "Hana Manager (home manager)" in tracker


@pytest.fixture
def selected_on_monday(applied, as_user, owner, web, session):
    with clock.frozen_at(MONDAY_MORNING):
        as_user(owner)
        web.get(f"/opportunities/{applied.opportunity_id}/applicants")
        web.post(f"/applications/{applied.id}/select")
    session.refresh(applied)
    assert applied.state == "manager_approval"
    return applied


@pytest.fixture
def waiting_since_monday(session, applicant, opening):
    """Ari's application has waited on the home manager since Monday morning: the rows, built directly."""
    found = factories.application(session, opening, applicant, state="manager_approval",
                                  manager_requested_at=MONDAY_MORNING)
    session.commit()
    return found


def at(days: int):
    return clock.frozen_at(MONDAY_MORNING + timedelta(days=days))


def test_first_reminder_goes_after_three_working_days_and_only_once(waiting_since_monday, run_sweep, mailbox):
    with at(2):
        assert run_sweep("home-manager-reminders") == []
    with at(3):
        sent = run_sweep("home-manager-reminders")
        again = run_sweep("home-manager-reminders")

    assert len(sent) == 1 and sent[0].startswith("reminder 1") and again == []
    assert mailbox.wait_for_to("hana.manager@dta.gov.au", "Reminder")


def test_second_reminder_goes_after_six_working_days(waiting_since_monday, run_sweep):
    with at(3):
        run_sweep("home-manager-reminders")
    with at(7):
        assert run_sweep("home-manager-reminders") == []
    with at(8):
        assert [line[:10] for line in run_sweep("home-manager-reminders")] == ["reminder 2"]


def test_a_missed_day_sends_one_reminder_not_two(waiting_since_monday, run_sweep):
    with at(9):
        assert [line[:10] for line in run_sweep("home-manager-reminders")] == ["reminder 2"]


def test_dry_run_lists_reminders_and_sends_nothing(waiting_since_monday, run_sweep):
    with at(3):
        assert len(run_sweep("home-manager-reminders", dry_run=True)) == 1
        assert len(run_sweep("home-manager-reminders")) == 1


def test_unanswered_request_lapses_after_ten_working_days(waiting_since_monday, run_sweep, session, mailbox, opening):
    with at(13):
        assert run_sweep("home-manager-lapse") == []
    with at(14):
        lapsed = run_sweep("home-manager-lapse")
        again = run_sweep("home-manager-lapse")

    assert len(lapsed) == 1 and again == []
    session.refresh(waiting_since_monday)
    assert waiting_since_monday.state == "lapsed"
    assert places.positions_open_now(session, opening) == 1
    assert mailbox.wait_for_to("ari.applicant@ato.gov.au", "No answer")
    assert mailbox.wait_for_to("olive.owner@dta.gov.au", "No answer")
    assert session.scalar(select(AuditEvent.actor_label).where(AuditEvent.action == "lapse")) == "system"


def test_the_old_link_says_a_lapsed_request_has_expired_and_needs_nothing(selected_on_monday, run_sweep, web,
                                                                         mailbox):
    path = decision_path(mailbox)
    web.post("/sign-out")
    with at(14):
        run_sweep("home-manager-lapse")

    response = web.get(path)

    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "This request has expired" in page and "not answered within 10 working days" in page
    assert "already been decided" not in page


def test_the_old_link_says_approval_is_no_longer_needed_once_the_applicant_withdraws(selected, as_user, applicant,
                                                                                     web, mailbox):
    path = decision_path(mailbox)
    as_user(applicant)
    web.submit(f"/applications/{selected.id}/withdraw", {"version": str(selected.version)})
    web.post("/sign-out")

    response = web.get(path)

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Your approval is no longer needed" in page and "Withdrawn" in page
    assert "already been decided" not in page


def test_confirming_the_last_position_matches_the_opportunity(web, selected, session, mailbox, opening):
    path = decision_path(mailbox)
    web.get(path)

    web.post(path, {"decision": "approve"})

    session.refresh(opening)
    assert opening.state == "matched"
    assert session.scalars(select(AuditEvent.action).where(AuditEvent.record_type == "opportunity")).all() == ["match"]


def test_cancelling_the_opportunity_cancels_live_applications(selected, applied, session, owner, mailbox):
    opportunity = session.get(Opportunity, selected.opportunity_id)
    actor = services.actor_for(owner, selected)

    cancelled = services.cancel_live_applications(session, opportunity, actor, "Funding withdrawn.")
    session.commit()

    assert cancelled == 1
    assert session.scalar(select(Application.state).where(Application.id == selected.id)) == "cancelled"
    text = mailbox.wait_for_to("ari.applicant@ato.gov.au", "has been cancelled").get_body(("plain",)).get_content()
    assert "Funding withdrawn." in text


def test_working_days_count_from_a_weekend_request_as_from_the_friday_before():
    saturday_request = datetime(2026, 3, 7, 11, 0, tzinfo=clock.CANBERRA)
    with clock.frozen_at(datetime(2026, 3, 11, 9, 0, tzinfo=clock.CANBERRA)):  # Wednesday: Fri + 3 working days
        assert saturday_request < waited_since(3)
    with clock.frozen_at(datetime(2026, 3, 10, 9, 0, tzinfo=clock.CANBERRA)):  # Tuesday: only 2
        assert saturday_request >= waited_since(3)


def test_reminders_run_from_the_command_line_without_a_request(waiting_since_monday, mailbox):
    with at(3), database.transaction() as session:
        sent = load_all()["home-manager-reminders"](session, False)

    assert len(sent) == 1
    assert link_in(mailbox.wait_for_to("hana.manager@dta.gov.au", "Reminder"), "/applications/decision/")
