"""The alert sweep's matching: the few opportunities approved in a window, loaded once, matched in memory against
many saved searches with the search page's rules (`admits` mirrors search's SQL conditions)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session, selectinload

from portal.models import Opportunity
from portal.opportunities import policy
from portal.opportunities.search import CLOSING_DAYS, FACET_COLUMNS, Filters
from portal.opportunities.text_match import text_matches
from workflows import clock


class NewOpportunities:
    """The open opportunities approved in a window, loaded once so that many saved searches can be matched
    against them without a statement each: the alert sweep's few new opportunities a day against tens of
    thousands of saved searches.

    Words are matched by the database as on the search page, for every distinct set of words in one
    statement (`words`); facets are then checked in Python by `admits`, which mirrors `_conditions`
    (tests/portal/opportunities/test_new_opportunities.py checks it against the search page on random data),
    and what is listed to whom by `policy.is_listed`."""

    def __init__(self, session: Session, since: datetime, until: datetime, words: set[str]) -> None:
        self.today = clock.canberra_today()
        self.opportunities = list(session.scalars(
            select(Opportunity).where(Opportunity.state == literal_column("'open'"), Opportunity.approved_at > since,
                                      Opportunity.approved_at <= until)
            .options(selectinload(Opportunity.skills))
            .order_by(Opportunity.approved_at.desc(), Opportunity.id.desc())))
        self.skills = {o.id: {skill.id for skill in o.skills} for o in self.opportunities}
        self.words = text_matches(session, {q for q in words if q}, [o.id for o in self.opportunities])

    def matching(self, filters: Filters, agency_id: int | None, since: datetime, limit: int = 50) -> list[Opportunity]:
        """What `filters` finds for a viewer of `agency_id` among those approved after `since`, newest first."""
        worded = self.words.get(filters.q, set()) if filters.q else None
        found = [o for o in self.opportunities
                 if o.approved_at > since and (worded is None or o.id in worded)
                 and policy.is_listed(o, agency_id, self.today) and admits(filters, o, self.skills[o.id], self.today)]
        return found[:limit]


def admits(filters: Filters, opportunity: Opportunity, skill_ids: set[int], today: date) -> bool:
    """`_conditions` for one loaded opportunity: every chosen facet admits it (values OR-ed within a facet)."""
    for name, column_ in FACET_COLUMNS.items():
        chosen = getattr(filters, name)
        if chosen and getattr(opportunity, column_) not in chosen:
            return False
    if filters.skill and not skill_ids.intersection(filters.skill):
        return False
    if filters.closing and (opportunity.deadline is None
                            or opportunity.deadline > today + timedelta(days=CLOSING_DAYS)):
        return False
    return not filters.cleared or opportunity.clearance in filters.clearances_met
