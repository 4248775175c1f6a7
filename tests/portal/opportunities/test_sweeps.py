"""Approval reminders and escalation in working days, closing-soon and deadline reminders, expiry."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from portal.models import Application, OutboxMessage
from portal.sweeps import load_all
from tests.support import factories
from workflows import clock

MONDAY = datetime(2027, 3, 1, 9, 0, tzinfo=clock.CANBERRA)
MANAGER = "morgan.manager@example.gov.au"


def run(session, name: str, dry_run: bool = False) -> list[str]:
    lines = load_all()[name](session, dry_run)
    session.rollback() if dry_run else session.commit()
    return lines


def pending_approval(session, make_user, **fields):
    with clock.frozen_at(MONDAY):
        opportunity = factories.opportunity(session, make_user(), state="approval", **fields)
        session.commit()
    return opportunity


def sent(session, template: str) -> int:
    return session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.template == template))


def test_no_reminder_before_three_working_days(session, make_user):
    pending_approval(session, make_user)
    with clock.frozen_at(MONDAY + timedelta(days=2)):
        assert run(session, "opportunity-approval-reminders") == []


def test_manager_is_reminded_after_three_working_days_and_only_once(session, make_user, mailbox):
    opportunity = pending_approval(session, make_user)
    with clock.frozen_at(MONDAY + timedelta(days=3)):
        first = run(session, "opportunity-approval-reminders")
        second = run(session, "opportunity-approval-reminders")
    assert len(first) == 1 and second == []
    message = mailbox.wait_for_to(MANAGER, "Reminder")
    assert opportunity.title in message["Subject"]


def test_weekends_do_not_count_towards_the_second_reminder(session, make_user):
    pending_approval(session, make_user)
    with clock.frozen_at(MONDAY + timedelta(days=3)):
        run(session, "opportunity-approval-reminders")
    with clock.frozen_at(MONDAY + timedelta(days=7)):  # Monday again: 5 working days
        assert run(session, "opportunity-approval-reminders") == []
    with clock.frozen_at(MONDAY + timedelta(days=8)):  # Tuesday: 6 working days
        assert len(run(session, "opportunity-approval-reminders")) == 1
    assert sent(session, "opportunity_approval_reminder") == 2


def test_approval_is_escalated_to_agency_admins_after_seven_working_days(session, make_user, mailbox):
    admin = make_user(admin_of=[factories.agency(session, "DTA")])
    opportunity = pending_approval(session, make_user)
    with clock.frozen_at(MONDAY + timedelta(days=8)):
        assert run(session, "opportunity-approval-escalation") == []
    with clock.frozen_at(MONDAY + timedelta(days=9)):
        assert len(run(session, "opportunity-approval-escalation")) == 1
        assert run(session, "opportunity-approval-escalation") == []
    session.refresh(opportunity)
    assert opportunity.escalated_at is not None
    mailbox.wait_for_to(admin.email, "Approval overdue")


def test_a_dry_run_changes_nothing(session, make_user):
    pending_approval(session, make_user)
    with clock.frozen_at(MONDAY + timedelta(days=3)):
        assert len(run(session, "opportunity-approval-reminders", dry_run=True)) == 1
        assert len(run(session, "opportunity-approval-reminders")) == 1


def test_owner_is_told_applications_close_soon_once(session, make_user, mailbox):
    owner = make_user()
    factories.opportunity(session, owner, state="open", deadline=clock.canberra_today() + timedelta(days=2))
    factories.opportunity(session, owner, state="open", deadline=clock.canberra_today() + timedelta(days=10))
    session.commit()
    assert len(run(session, "opportunity-closing-soon")) == 1
    assert run(session, "opportunity-closing-soon") == []
    mailbox.wait_for_to(owner.email, "close soon")


def test_owner_is_asked_to_select_when_the_deadline_passes(session, make_user, mailbox):
    owner = make_user()
    factories.opportunity(session, owner, state="open", deadline=clock.canberra_today() - timedelta(days=1))
    session.commit()
    assert len(run(session, "opportunity-deadline-passed")) == 1
    assert run(session, "opportunity-deadline-passed") == []
    mailbox.wait_for_to(owner.email, "Applications have closed")


def test_open_opportunity_expires_after_the_grace_period_with_nobody_selected(session, make_user, mailbox):
    owner = make_user()
    today = clock.canberra_today()
    stale = factories.opportunity(session, owner, state="open", deadline=today - timedelta(days=15))
    recent = factories.opportunity(session, owner, state="open", deadline=today - timedelta(days=13))
    session.commit()
    assert run(session, "opportunity-expiry") == [f"expire: opportunity {stale.id}"]
    session.refresh(stale)
    session.refresh(recent)
    assert (stale.state, recent.state) == ("expired", "open")
    mailbox.wait_for_to(owner.email, "Expired")


def test_an_opportunity_with_a_selected_applicant_does_not_expire(session, make_user):
    owner = make_user()
    stale = factories.opportunity(session, owner, state="open",
                                  deadline=clock.canberra_today() - timedelta(days=20))
    session.add(Application(opportunity=stale, applicant=make_user(), state="selected", statement="Me",
                            home_manager_name="Boss", home_manager_email="boss@example.gov.au"))
    session.commit()
    assert run(session, "opportunity-expiry") == []
