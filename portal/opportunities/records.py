"""Opportunities as workflow records: who holds which role on one, and who each e-mail goes to."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from portal import links
from portal.models import Opportunity, User
from portal.models.users import agency_admins
from portal.transitions import Party, RecordKind
from portal.urls import external_url
from workflows import Actor
from workflows import opportunity as flow

APPROVAL_LINK = links.LinkKind("opportunity-approval")


def roles_for(user: User | None, opportunity: Opportunity) -> frozenset[str]:
    """The roles a signed-in person holds on this opportunity (none for a stranger)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    roles = set()
    if opportunity.is_owned_by(user):
        roles.add(flow.OWNER)
    if opportunity.approving_manager_email and user.email == opportunity.approving_manager_email.lower() \
            and opportunity.creator_id != user.id:
        roles.add(flow.APPROVING_MANAGER)  # a federal manager owns what a contractor posts for them, and approves it
    if opportunity.host_agency_id in user.administered_agency_ids:
        roles.add(flow.AGENCY_ADMIN)
    if user.is_site_admin:
        roles.add(flow.SITE_ADMIN)
    return frozenset(roles)


def actor_for(user: User, opportunity: Opportunity) -> Actor:
    return Actor(roles_for(user, opportunity), user.id, user.email)


def link_actor(opportunity: Opportunity) -> Actor:
    """Someone who opened the signed approval link: the approving manager, by e-mail."""
    return Actor(frozenset({flow.APPROVING_MANAGER}), None, f"{opportunity.approving_manager_email} (e-mail link)")


SYSTEM_ACTOR = Actor(frozenset({flow.SYSTEM}), None, "system")


def approval_link(opportunity: Opportunity) -> str:
    """A signed link for this round of approval; it dies when the opportunity's version moves on."""
    token = APPROVAL_LINK.make(oid=opportunity.id, v=opportunity.version)
    return external_url("approvals.link", token=token)


def _owners(opportunity: Opportunity) -> list[Party]:
    people = [opportunity.owner, *opportunity.coowners]
    return [(p.name, p.email) for p in people if p is not None]


def _agency_admins(session: Session, opportunity: Opportunity) -> list[Party]:
    rows = session.execute(select(User.name, User.email).join(agency_admins, agency_admins.c.user_id == User.id)
                           .where(agency_admins.c.agency_id == opportunity.host_agency_id,
                                  User.disabled_at.is_(None)))
    return [(name, email) for name, email in rows]


def parties(opportunity: Opportunity) -> dict[str, Party | list[Party] | None]:
    session = object_session(opportunity)
    manager = None
    if opportunity.approving_manager_email:
        manager = (opportunity.approving_manager_name, opportunity.approving_manager_email)
    return {"owner": _owners(opportunity), "approving_manager": manager,
            "agency_admins": _agency_admins(session, opportunity)}


def context(opportunity: Opportunity, party: str | None = None) -> dict:
    """What an e-mail about the opportunity is told. The signed approval link goes only to those who decide
    (`party` None: a sweep writing to the approving manager or the agency admins)."""
    values = {"title": opportunity.title, "opportunity_id": opportunity.id,
              "agency": opportunity.host_agency.name if opportunity.host_agency else "",
              "owner_name": opportunity.owner.name if opportunity.owner else "",
              "creator_name": opportunity.creator.name if opportunity.creator else "",
              "deadline": opportunity.deadline.isoformat() if opportunity.deadline else "",
              "link": external_url("opportunities.detail", opportunity_id=opportunity.id)}
    if opportunity.state == "approval" and party in (None, "approving_manager", "agency_admins"):
        values["approval_link"] = approval_link(opportunity)
        values["queue_link"] = external_url("approvals.decide", opportunity_id=opportunity.id)
    return values


OPPORTUNITY_KIND = RecordKind("opportunity", flow.MACHINE, parties, context, category="opportunity")
