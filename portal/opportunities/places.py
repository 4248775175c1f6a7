"""How full an opportunity is, in two named meanings, each written once.

- *Places taken*: everyone holding a place on it (selected, waiting for their home manager, confirmed).
- *Positions open*: its positions less the places taken, never below nought: the number the opportunity page,
  the API (`positions_left`), the applicants page and the selection guard all show or check.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from portal.models import Application, Opportunity
from workflows.application import HOLDS_A_POSITION


def places_taken(opportunity_id: Any) -> ScalarSelect[int]:
    """The SQL count of places taken on one opportunity (`opportunity_id` may be a column)."""
    return (select(func.count(Application.id))
            .where(Application.opportunity_id == opportunity_id, Application.state.in_(HOLDS_A_POSITION))
            .scalar_subquery())


def taken_of(counts: dict[str, int]) -> int:
    """`places_taken` from an opportunity's applications counted by state."""
    return sum(count for state, count in counts.items() if state in HOLDS_A_POSITION)


def holds_a_place(application: Application) -> bool:
    """`places_taken` for one loaded application."""
    return application.state in HOLDS_A_POSITION


def positions_open(opportunity: Opportunity, taken: int) -> int:
    return max(opportunity.positions - (taken or 0), 0)


def positions_open_now(session: Session, opportunity: Opportunity) -> int:
    """`positions_open` counted afresh (the selection guard, with the opportunity row locked)."""
    return positions_open(opportunity, session.scalar(select(places_taken(opportunity.id))) or 0)
