"""Changing who a person is recorded as: their agency (only by confirming an address at the new agency, or by
an agency admin) and their contractor mark (the person may only give up rights). Each change is audited in
the caller's transaction, with the old values in the event."""
from __future__ import annotations

from sqlalchemy.orm import Session

from portal import links
from portal.accounts.domains import membership
from portal.accounts.services import find_user, normalise_email
from portal.audit import record_admin_event
from portal.models import Agency, User
from portal.outbox import queue_email
from portal.urls import external_url
from workflows import Refused, clock

MOVE_LINK = links.LinkKind("move-agency")


class MoveRefused(Refused):
    """An admin may not make this change; `message` says why (409)."""


def request_move(session: Session, user: User, new_email: str, chosen_agency_id: int | None) -> Agency | None:
    """E-mail a single-use link to the new address; the agency follows only when its owner opens it.
    Nothing is sent to an address another account already uses (and the person is not told so)."""
    new_email = normalise_email(new_email)
    agency = membership(session, new_email).agency(chosen_agency_id)
    record_admin_event(session, "user", user.id, "agency_move_requested", actor=user,
                       data={"to_email": new_email, "to_agency_id": agency.id if agency else None})
    if find_user(session, new_email) is not None:
        return agency
    token = MOVE_LINK.make(uid=user.id, old=user.email, new=new_email, agency=agency.id if agency else None)
    queue_email(session, "confirm_new_address", new_email,
                {"name": user.name, "link": external_url("accounts.confirm_move", token=token),
                 "agency": agency.name if agency else None},
                key=f"move:{user.id}:{token[-16:]}", name=user.name, category="account")
    return agency


def confirm_move(session: Session, link: links.Link, user: User) -> User:
    """Take the new address and its agency; LinkRefused for a bad, old or used link, one sent to somebody
    else ('not_yours'), or one overtaken by a change of address or of the domain's agencies."""
    payload = link.payload
    if payload["uid"] != user.id:
        raise links.LinkRefused("not_yours")
    if user.email != payload["old"] or find_user(session, payload["new"]) is not None:
        raise links.LinkRefused("used")
    found = membership(session, payload["new"])
    if not found.admits(payload["agency"]):
        raise links.LinkRefused("expired")
    link.use(session)
    agency = session.get(Agency, payload["agency"]) if payload["agency"] else None
    _move(session, user, agency, actor=user, how="confirmed_address", email=payload["new"])
    user.verified_at, user.email_bounced_at = clock.utcnow(), None
    if found.contractors_only:
        _mark_contractor(session, user, True, actor=user)
    return user


def follow_verified_address(session: Session, user: User) -> None:
    """When someone else vouches for the address (an OpenID Connect provider at sign-in): the agency its domain
    gives, if exactly one and different, recorded like any other move. Shared domains keep the person's choice."""
    agencies = membership(session, user.email).agencies
    if len(agencies) == 1 and user.agency_id != agencies[0].id:
        _move(session, user, agencies[0], actor=user, how="verified_address")


def may_move(actor: User, person: User, agency: Agency | None, session: Session) -> bool:
    """Site admins; an admin of the agency the person joins; an admin of their agency correcting a choice
    among the agencies that share the person's domain."""
    if actor.is_site_admin or (agency is not None and actor.administers(agency.id)):
        return True
    return actor.administers(person.agency_id) and membership(session, person.email).admits(
        agency.id if agency else None)


def move_by_admin(session: Session, person: User, agency: Agency | None, actor: User, how: str = "admin") -> None:
    if not may_move(actor, person, agency, session):
        raise MoveRefused("You can only move people into an agency you administer.")
    if person.agency_id == (agency.id if agency else None):
        raise MoveRefused(f"{person.name} is already recorded with that agency.")
    _move(session, person, agency, actor=actor, how=how)


def _move(session: Session, user: User, agency: Agency | None, *, actor: User, how: str,
          email: str | None = None) -> None:
    data = {"how": how, "from_agency_id": user.agency_id, "to_agency_id": agency.id if agency else None,
            "from_agency": user.agency.name if user.agency else None, "to_agency": agency.name if agency else None}
    if email is not None and email != user.email:
        data |= {"from_email": user.email, "to_email": email}
        user.email = email
    user.agency = agency
    record_admin_event(session, "user", user.id, "agency_moved", actor=actor, data=data)


def declare_contractor(session: Session, user: User) -> None:
    """A person may say they are now a contractor (fewer rights), never the reverse."""
    if not user.is_contractor:
        _mark_contractor(session, user, True, actor=user)


def set_contractor(session: Session, person: User, contractor: bool, actor: User) -> None:
    """Agency admins (of the person's agency) and site admins set or clear the mark."""
    if not actor.administers(person.agency_id):
        raise MoveRefused("Only an admin of their agency can change whether someone is a contractor.")
    if not contractor and membership(session, person.email).contractors_only:
        raise MoveRefused(f"Only contractors use {person.email.rpartition('@')[2]} addresses.")
    if person.is_contractor != contractor:
        _mark_contractor(session, person, contractor, actor=actor)


def _mark_contractor(session: Session, user: User, contractor: bool, *, actor: User) -> None:
    user.is_contractor = contractor
    record_admin_event(session, "user", user.id, "contractor_marked" if contractor else "contractor_cleared",
                       actor=actor)

