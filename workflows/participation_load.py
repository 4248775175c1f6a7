"""How much of a person's working week their participations take, and when a home manager must agree to it.

A share is a fraction of the APS working week of 37.5 hours (7.5 hours a day, five days): 7.5 hours a week is
20 %, 3.75 hours a week is 10 %. An opportunity's commitment is given in hours a week, a percentage of time, or
hours in total; hours in total are spread evenly over the weeks between its start and end dates (one week when
the dates are not known). A commitment that is not stated yet has no share and adds nothing to a total.
"""
from __future__ import annotations

from datetime import date

from workflows.machine import TransitionRefused

HOURS_A_DAY = 7.5
HOURS_A_WEEK = 37.5
AGREEMENT_ABOVE = 0.20  # more than this share across participations needs the home manager's explicit agreement
AGREE_FIELD = "agree_total"


def weeks_between(start: date | None, end: date | None) -> float:
    """The weeks a participation runs (both dates counted), at least one."""
    if start and end and end >= start:
        return max(1.0, ((end - start).days + 1) / 7)
    return 1.0


def hours_per_week(kind: str, amount: int | None, start: date | None, end: date | None) -> float | None:
    """The weekly hours a commitment means, or None when no amount is stated."""
    if not amount:
        return None
    if kind == "percent":
        return amount / 100 * HOURS_A_WEEK
    if kind == "total_hours":
        return amount / weeks_between(start, end)
    return float(amount)


def share_of_week(kind: str, amount: int | None, start: date | None, end: date | None) -> float | None:
    """The fraction of a 37.5-hour week, or None when no amount is stated."""
    hours = hours_per_week(kind, amount, start, end)
    return None if hours is None else hours / HOURS_A_WEEK


def total_share(shares: list[float | None]) -> float:
    return sum(s for s in shares if s is not None)


def needs_agreement(total: float) -> bool:
    """The one rule: a total above 20 % of the week (this participation included) needs the manager's tick."""
    return round(total, 4) > AGREEMENT_ABOVE


def percent(share: float | None) -> str:
    """A share in words for pages: "20 %", "7.5 %"; "not stated" without one."""
    if share is None:
        return "not stated"
    value = round(share * 100, 1)
    return f"{value:g} %"


def check_agreed(total: float, agreed: bool) -> None:
    """Refuse (422, beside the tick box) an approval of a total above the limit the manager has not agreed to."""
    if needs_agreement(total) and not agreed:
        raise TransitionRefused(
            f"Together with their other participations this takes {percent(total)} of their time, more than "
            f"{percent(AGREEMENT_ABOVE)}. Tick the box to agree to the total, or decline.", 422, field=AGREE_FIELD)
