"""Who may see an opportunity, and which opportunities are listed to whom: each rule written once, as the
SQL filter and as the Python predicate side by side (tests/portal/opportunities/test_policy.py checks that
each pair agrees on random data).

- *May see* (its page, the API, the apply and applicants pages, a saved bookmark): anyone with a role on it
  (owner, co-owner, approving manager, an admin of its host agency, a site admin) in any state; anyone else
  once it is published (open, matched, completed), and an agency-only one only within the host agency.
- *May apply*: `cannot_apply` says why not (or None), for the apply page, the API and the page's button.
- *Listed* (search, the API's search, saved-search and skill alerts): open, still taking applications by
  date, and agency-only ones only within the host agency, whoever is looking.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal_column, or_, select, true

from portal.models import Opportunity, User
from portal.models.opportunities import opportunity_coowners
from portal.models.users import agency_admins
from portal.opportunities.records import roles_for
from workflows import clock

PUBLISHED = ("open", "matched", "completed")


def agency_admits(agency_id: Any) -> ColumnElement[bool]:
    """An agency-only opportunity admits only its host agency's people (`agency_id` may be a column); someone
    of no agency, none."""
    if agency_id is None:
        return Opportunity.restricted_to_agency.is_(False)
    return or_(Opportunity.restricted_to_agency.is_(False), Opportunity.host_agency_id == agency_id)


def admits_agency(opportunity: Opportunity, agency_id: int | None) -> bool:
    """`agency_admits` for one loaded opportunity."""
    return not opportunity.restricted_to_agency or (agency_id is not None and opportunity.host_agency_id == agency_id)


def owned_by(user_id: Any) -> ColumnElement[bool]:
    """The SQL filter of `Opportunity.is_owned_by`: the person owns or co-owns it."""
    coowned = select(opportunity_coowners.c.opportunity_id).where(opportunity_coowners.c.user_id == user_id)
    return or_(Opportunity.owner_id == user_id, Opportunity.id.in_(coowned))


def visible_to(user: User | None) -> ColumnElement[bool]:
    """The SQL filter of `may_see`: every opportunity this person may see."""
    published = and_(Opportunity.state.in_(PUBLISHED), agency_admits(_agency_of(user)))
    if user is None or not getattr(user, "is_authenticated", False):
        return published
    if user.is_site_admin:
        return true()
    approving = and_(func.lower(Opportunity.approving_manager_email) == user.email.lower(),
                     Opportunity.creator_id != user.id)
    administered = select(agency_admins.c.agency_id).where(agency_admins.c.user_id == user.id)
    return or_(published, owned_by(user.id), approving, Opportunity.host_agency_id.in_(administered))


def may_see(user: User | None, opportunity: Opportunity) -> bool:
    """Whether this person may see this opportunity at all (anyone who may not gets a 404, never a hint)."""
    if roles_for(user, opportunity):
        return True
    return opportunity.state in PUBLISHED and admits_agency(opportunity, _agency_of(user))


@dataclass(frozen=True)
class CannotApply:
    """Why a person may not apply: `code` picks the page's call to action, `status` the HTTP answer."""

    code: str  # owner, applied, contractor, closed, paused
    message: str
    status: int


def cannot_apply(user: User, opportunity: Opportunity, already_applied: bool) -> CannotApply | None:
    """Why this person cannot apply to this opportunity now, in words they can act on; None when they can.

    Only asked of someone who may see it (`may_see`): anyone else gets a 404 first."""
    if opportunity.is_owned_by(user):
        return CannotApply("owner", "You cannot apply for an opportunity you own.", 403)
    if already_applied:
        return CannotApply("applied", "You have already applied for this opportunity. Follow it under My "
                                      "applications.", 409)
    if user.is_contractor:
        return CannotApply("contractor", "Contractors cannot apply for opportunities: they are for APS employees, "
                           "who stay on their agency's payroll while they take part. You can still post "
                           "opportunities for a federal manager.", 403)
    if opportunity.state != "open":
        return CannotApply("closed", "This opportunity is not taking applications.", 409)
    if opportunity.deadline is not None and opportunity.deadline < clock.canberra_today():
        return CannotApply("closed", "The closing date for applications has passed.", 409)
    if not opportunity.accepting_applications:
        return CannotApply("paused", "This opportunity is not taking applications.", 409)
    return None


def listed(agency_id: Any, today: date) -> list[ColumnElement[bool]]:
    """The SQL filter of `is_listed`. `agency_id` is the viewer's agency, or a column holding it when one
    statement serves many people (the alert sweep)."""
    return [Opportunity.state == literal_column("'open'"),  # a literal: the partial GIN index (migration 0008)
            or_(Opportunity.deadline.is_(None), Opportunity.deadline >= today),
            agency_admits(agency_id)]


def is_listed(opportunity: Opportunity, agency_id: int | None, today: date) -> bool:
    """Whether search and alerts list this opportunity to a person of `agency_id`."""
    return (opportunity.state == "open" and (opportunity.deadline is None or opportunity.deadline >= today)
            and admits_agency(opportunity, agency_id))


def _agency_of(user: User | None) -> int | None:
    return getattr(user, "agency_id", None) if user is not None and getattr(user, "is_authenticated", False) else None
