"""Working days: weekdays that are not Australian national public holidays, counted on Canberra dates.

The one calendar every sweep asks: "N working days after" something is `waited_since(N)`.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

import holidays

from workflows import clock


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("AU", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _national_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The date `count` working days after `start` (negative counts go backwards)."""
    step = 1 if count >= 0 else -1
    day, remaining = start, abs(count)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`."""
    if end <= start:
        return 0
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n)))


def waited_since(working_days: int) -> datetime:
    """Anything that started before this UTC instant has waited at least `working_days` working days today.

    Something started on day D is due on the `working_days`-th working day after D (a weekend or holiday
    start counts like the working day before it), so "3 working days" means the same every day of the week:
    a Wednesday start is due on Monday, never on the Saturday.
    """
    today = clock.canberra_today()
    last_working = add_working_days(add_working_days(today, 1), -1)
    first_not_due = add_working_days(add_working_days(last_working, -working_days), 1)
    return datetime.combine(first_not_due, time(0), tzinfo=clock.CANBERRA).astimezone(timezone.utc)


def midpoint_check_in(start: date | None, end: date | None) -> date | None:
    """The mobility plan's mid-point review: the working day nearest the middle of start..end (on a tie, the
    earlier one), never outside the dates; None when either date is unknown or there is no working day between."""
    if start is None or end is None or end < start:
        return None
    middle = start + timedelta(days=(end - start).days // 2)
    for distance in range((end - start).days + 1):
        for day in (middle - timedelta(days=distance), middle + timedelta(days=distance)):
            if start <= day <= end and is_working_day(day):
                return day
    return None
