"""Working days: weekdays that are not Australian national public holidays."""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


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
