"""What one report covers: a range of Canberra dates and the agencies the viewer may see."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import ColumnElement, case, or_, true

from workflows.clock import CANBERRA


def canberra_midnight(day: date) -> datetime:
    """The UTC instant a Canberra calendar day starts, so month and day edges follow local time."""
    return datetime.combine(day, time(0), CANBERRA).astimezone(timezone.utc)


def first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class Scope:
    start: date
    end: date  # inclusive
    agency_ids: frozenset[int] | None  # None: every agency (a site admin's view)

    @property
    def starts_at(self) -> datetime:
        return canberra_midnight(self.start)

    @property
    def ends_at(self) -> datetime:
        return canberra_midnight(self.end + timedelta(days=1))

    def during(self, column) -> ColumnElement[bool]:
        return (column >= self.starts_at) & (column < self.ends_at)

    def agency(self, *columns) -> ColumnElement[bool]:
        """True when any of the agency columns is one the viewer may see."""
        if self.agency_ids is None:
            return true()
        return or_(*(column.in_(sorted(self.agency_ids)) for column in columns))

    def months(self) -> list[date]:
        """The first day of every Canberra month the range touches."""
        months, month = [], date(self.start.year, self.start.month, 1)
        while month <= self.end:
            months.append(month)
            month = first_of_next_month(month)
        return months

    def month_index(self, column) -> ColumnElement[int]:
        """Which month of `months()` a timestamp falls in, as one CASE: exact in Canberra time on any database."""
        months = self.months()
        edges = [min(canberra_midnight(first_of_next_month(m)), self.ends_at) for m in months[:-1]]
        if not edges:
            return case((true(), 0))
        return case(*[(column < edge, index) for index, edge in enumerate(edges)], else_=len(months) - 1)
