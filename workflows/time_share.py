"""How much of a working week a participation takes: one rule for the search band, the mobility plan's schedule
and the home manager's check on a participant's total load.

An opportunity states its commitment one of three ways (`COMMITMENT_KINDS`): hours in total over its dates,
hours a week, or a percentage of the participant's time. A full-time APS week is 37.5 hours (7.5 a day).
"""
from __future__ import annotations

from datetime import date

HOURS_A_DAY = 7.5
HOURS_A_WEEK = 37.5
# Above this share of their week across participations, the home manager agrees to the total explicitly.
TOTAL_SHARE_NEEDING_AGREEMENT = 0.20


def weeks_between(start: date | None, end: date | None) -> float:
    """Calendar weeks from start to end inclusive, at least one (a total spread over an unknown period: one week)."""
    if start and end and end >= start:
        return max(1.0, ((end - start).days + 1) / 7)
    return 1.0


def hours_a_week(kind: str, amount: int | None, start: date | None, end: date | None) -> float | None:
    """The average hours a week the commitment asks for; None when no amount is stated."""
    if not amount:
        return None
    return {"total_hours": amount / weeks_between(start, end), "hours_per_week": float(amount),
            "percent": amount / 100 * HOURS_A_WEEK}[kind]


def share_of_week(kind: str, amount: int | None, start: date | None, end: date | None) -> float:
    """The share (0-1) of a full-time week the commitment takes; 0 when no amount is stated."""
    per_week = hours_a_week(kind, amount, start, end)
    return 0.0 if per_week is None else per_week / HOURS_A_WEEK


def band(kind: str, amount: int | None, start: date | None, end: date | None) -> str | None:
    """10 hours or less in all, up to one day a week, or more: the bands people filter on."""
    per_week = hours_a_week(kind, amount, start, end)
    if per_week is None:
        return None
    total = amount if kind == "total_hours" else per_week * weeks_between(start, end)
    if total <= 10:
        return "up_to_10h"
    return "up_to_1_day" if per_week <= HOURS_A_DAY else "over_1_day"


def needs_agreement_to_total(shares: list[float]) -> bool:
    """True when the participations' shares together (the one being decided included) exceed 20 % of a week."""
    return sum(shares) > TOTAL_SHARE_NEEDING_AGREEMENT + 1e-9


def as_percent(share: float) -> str:
    """A share as people read it: "20 %", "7.5 %"."""
    value = round(share * 100, 1)
    return f"{value:g} %"
