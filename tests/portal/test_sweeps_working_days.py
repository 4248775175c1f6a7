"""Every sweep that counts working days counts them on the one calendar (workflows.calendar.waited_since):
something started on day D is due on the N-th working day after D (weekends and national public holidays
skipped, Canberra dates), whatever the day of the week D is.

Each sweep is run on every day from the start until it is due: silent every day before, sending on the day.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Callable

import pytest

from portal.sweeps import load_all
from tests.support import factories
from workflows import clock

AUSTRALIA_DAY = date(2027, 1, 26)  # a Tuesday: the only national public holiday in these weeks
STARTS = {  # start day -> the 3rd working day after it, worked out by hand
    date(2027, 2, 15): date(2027, 2, 18),  # Monday -> Thursday
    date(2027, 2, 16): date(2027, 2, 19),  # Tuesday -> Friday
    date(2027, 2, 17): date(2027, 2, 22),  # Wednesday -> Monday, never the Saturday
    date(2027, 2, 18): date(2027, 2, 23),  # Thursday -> Tuesday
    date(2027, 2, 19): date(2027, 2, 24),  # Friday -> Wednesday
    date(2027, 2, 20): date(2027, 2, 24),  # Saturday -> Wednesday
    date(2027, 2, 21): date(2027, 2, 24),  # Sunday -> Wednesday
    date(2027, 1, 25): date(2027, 1, 29),  # Monday before Australia Day -> Friday
}


def nth_working_day_after(day: date, n: int) -> date:
    """Written here, apart from the calendar under test: weekdays that are not Australia Day."""
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day != AUSTRALIA_DAY:
            n -= 1
    return day


def test_the_expected_dates_are_the_third_working_day_after_the_start():
    assert {start: nth_working_day_after(start, 3) for start in STARTS} == STARTS


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.CANBERRA)


def _opportunity_waiting_for_approval(session, started: datetime) -> None:
    factories.site_admin(session)  # the escalation goes to site admins when the agency has none
    record = factories.opportunity(session, factories.user(session), state="approval")
    record.submitted_at = started


def _home_manager_request(session, started: datetime) -> None:
    opportunity = factories.open_opportunity(session, factories.user(session))
    factories.application(session, opportunity, state="manager_approval", manager_requested_at=started)


def _unacknowledged_arrangement(session, started: datetime) -> None:
    opportunity = factories.open_opportunity(session, factories.user(session))
    application = factories.application(session, opportunity, state="confirmed")
    factories.arrangement(session, application, acknowledged=("participant", "host_manager"), created_at=started)


SWEEPS: dict[str, tuple[int, Callable]] = {  # sweep -> (working days, what it waits on)
    "opportunity-approval-reminders": (3, _opportunity_waiting_for_approval),
    "opportunity-approval-escalation": (7, _opportunity_waiting_for_approval),
    "home-manager-reminders": (3, _home_manager_request),
    "home-manager-lapse": (10, _home_manager_request),
    "arrangement-acknowledgement-reminders": (3, _unacknowledged_arrangement),
}


@pytest.mark.parametrize("start", sorted(STARTS), ids=lambda d: d.strftime("%a-%d-%b"))
@pytest.mark.parametrize("name", sorted(SWEEPS))
def test_a_sweep_acts_on_the_nth_working_day_after_the_start_and_not_before(app, session, name, start):
    working_days, make = SWEEPS[name]
    due = nth_working_day_after(start, working_days)
    with clock.frozen_at(at(start, 14)):
        make(session, at(start, 14))
        session.commit()
    sweep = load_all()[name]

    with app.test_request_context("/"):
        for day in (start + timedelta(days=n) for n in range((due - start).days)):
            with clock.frozen_at(at(day, 23)):
                assert sweep(session, True) == [], f"{name} acted on {day:%a %d %b}, due {due:%a %d %b}"
        with clock.frozen_at(at(due, 7)):
            assert len(sweep(session, True)) >= 1, f"{name} did not act on {due:%a %d %b}"
    session.rollback()
