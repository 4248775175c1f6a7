"""Every sweep run twice at the same moment (two beat or CLI runs overlapping, each in its own thread and
transaction) sends each e-mail once and fails in neither run: reminders are claimed first in
reminders_sent (INSERT … ON CONFLICT DO NOTHING, portal.sweeps.claim), state changes lock their rows."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

import pytest
from sqlalchemy import func, select

from portal.models import Application, AuditEvent, Opportunity, OutboxMessage, ReminderSent, User
from portal.sweeps import load_all
from tests.support import factories
from tests.support.together import run_sweep_twice_at_once
from workflows import clock

NOW = datetime(2027, 3, 10, 10, 0, tzinfo=clock.CANBERRA)  # a Wednesday
DAY = timedelta(days=1)


def _approval(session, submitted_days_ago: int) -> None:
    factories.site_admin(session)
    record = factories.opportunity(session, factories.user(session), state="approval")
    record.submitted_at = NOW - submitted_days_ago * DAY


def _open(session, **fields) -> Opportunity:
    return factories.open_opportunity(session, factories.user(session), **fields)


def _waiting_for_home_manager(session, days_ago: int) -> None:
    factories.application(session, _open(session), state="manager_approval",
                          manager_requested_at=NOW - days_ago * DAY)


def _confirmed(session, **fields) -> Application:
    return factories.application(session, _open(session, **fields), state="confirmed")


def _dormant(session) -> None:
    warned = factories.user(session)
    warned.last_login_at = NOW - timedelta(days=3 * 365 - 10)


TODAY = NOW.date()
CASES: dict[str, tuple[Callable, str, int]] = {  # sweep -> (what is due, e-mail template, how many e-mails)
    "opportunity-approval-reminders": (lambda s: _approval(s, 7), "opportunity_approval_reminder", 1),
    "opportunity-approval-escalation": (lambda s: _approval(s, 14), "opportunity_approval_escalated", 1),
    "opportunity-closing-soon": (lambda s: _open(s, deadline=TODAY + 2 * DAY), "opportunity_closing_soon", 1),
    "opportunity-deadline-passed": (lambda s: _open(s, deadline=TODAY - DAY), "opportunity_deadline_passed", 1),
    "opportunity-expiry": (lambda s: _open(s, deadline=TODAY - 20 * DAY), "opportunity_expired", 1),
    "home-manager-reminders": (lambda s: _waiting_for_home_manager(s, 6), "home_manager_reminder", 1),
    "home-manager-lapse": (lambda s: _waiting_for_home_manager(s, 20), "application_lapsed", 2),
    "arrangement-acknowledgement-reminders": (
        lambda s: factories.arrangement(s, _confirmed(s), acknowledged=("participant", "host_manager"),
                                        created_at=NOW - 7 * DAY), "arrangement", 1),
    "completion-reminders": (lambda s: _confirmed(s, start_date=TODAY - 60 * DAY, end_date=TODAY - 10 * DAY,
                                                  deadline=TODAY - 70 * DAY), "completion_reminder", 1),
    "participation-starts-tomorrow": (lambda s: _confirmed(s, start_date=TODAY + DAY), "participation_starts", 2),
    "dormant_accounts": (_dormant, "account_dormant", 1),
}


def test_every_sweep_is_covered():
    # The digest and the alerts have tests of their own; retention sends nothing and anonymises what is
    # still there (a second run finds it done), with ops.background's run lock against overlaps.
    assert set(CASES) | {"daily_digest", "saved_search_alerts", "retention"} == set(load_all())


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_sweep_run_twice_at_once_sends_each_email_once(app, session, name):
    make, template, emails = CASES[name]
    with clock.frozen_at(NOW):
        make(session)
        session.commit()
        lines = run_sweep_twice_at_once(app, load_all()[name])

    assert len(lines) == 2, "one of the two runs failed"
    assert sum(lines) >= 1
    session.rollback()
    queued = session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.template == template))
    assert queued == emails
    audits = session.scalars(select(AuditEvent.action).where(AuditEvent.action.in_(("expire", "lapse")))).all()
    assert len(audits) <= 1


def test_an_overlapping_dormant_sweep_disables_an_account_once(app, session):
    with clock.frozen_at(NOW):
        unused = factories.user(session)
        unused.last_login_at = NOW - timedelta(days=3 * 365 + 1)
        session.flush()
        session.add(ReminderSent(kind="dormant_warning", record_id=unused.id, step=1,
                                           sent_at=NOW - timedelta(days=31)))
        session.commit()
        lines = run_sweep_twice_at_once(app, load_all()["dormant_accounts"])

    assert sorted(lines) == [0, 1]
    session.rollback()
    assert session.scalar(select(User.disabled_at).where(User.id == unused.id)) is not None
    assert session.scalars(select(AuditEvent.action).where(AuditEvent.record_id == unused.id)).all() == \
        ["disabled_dormant"]
