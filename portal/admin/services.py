"""Administrative changes. Each one writes an audit event in the caller's transaction."""
from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.accounts.domains import is_state_or_territory
from portal.audit import record_admin_event
from portal.models import Agency, AllowedDomain, EmailDomain, Opportunity, ProviderDomain, Skill, User
from portal.models.users import agency_admins, email_domain_agencies
from workflows import Refused, clock


def merge_agencies(session: Session, source: Agency, target: Agency, actor: User) -> None:
    """Move everyone and everything from a duplicate agency to the one kept; the duplicate is retired."""
    if source.id == target.id:
        raise Refused("Choose a different agency to merge into.")
    session.execute(update(User).where(User.agency_id == source.id).values(agency_id=target.id))
    session.execute(update(Opportunity).where(Opportunity.host_agency_id == source.id)
                    .values(host_agency_id=target.id))
    session.execute(update(ProviderDomain).where(ProviderDomain.agency_id == source.id).values(agency_id=target.id))
    admins_of_source = set(session.scalars(select(agency_admins.c.user_id).where(agency_admins.c.agency_id == source.id)))
    admins_of_target = set(session.scalars(select(agency_admins.c.user_id).where(agency_admins.c.agency_id == target.id)))
    session.execute(delete(agency_admins).where(agency_admins.c.agency_id == source.id))
    for user_id in admins_of_source - admins_of_target:
        session.execute(agency_admins.insert().values(user_id=user_id, agency_id=target.id))
    owned_by_target = set(session.scalars(select(email_domain_agencies.c.domain)
                                          .where(email_domain_agencies.c.agency_id == target.id)))
    session.execute(delete(email_domain_agencies).where(email_domain_agencies.c.agency_id == source.id,
                                                        email_domain_agencies.c.domain.in_(owned_by_target)))
    session.execute(update(email_domain_agencies).where(email_domain_agencies.c.agency_id == source.id)
                    .values(agency_id=target.id))  # the duplicate's domains now give the agency kept
    source.active, source.merged_into_id = False, target.id
    record_admin_event(session, "agency", source.id, "merged", actor=actor,
                       data={"into": target.id, "into_name": target.name})


def set_disabled(session: Session, user: User, disabled: bool, actor: User) -> None:
    if user.id == actor.id and disabled:
        raise Refused("You cannot disable your own account.")
    user.disabled_at = clock.utcnow() if disabled else None
    user.session_version += 1  # signs them out everywhere
    record_admin_event(session, "user", user.id, "disabled" if disabled else "enabled", actor=actor)


def set_site_admin(session: Session, user: User, grant: bool, actor: User) -> None:
    if user.id == actor.id and not grant:
        raise Refused("You cannot remove your own site administrator role.")
    user.is_site_admin = grant
    record_admin_event(session, "user", user.id, "site_admin_granted" if grant else "site_admin_revoked", actor=actor)


def set_agency_admin(session: Session, user: User, agency: Agency, grant: bool, actor: User) -> None:
    present = any(a.id == agency.id for a in user.admin_of)
    if grant and not present:
        user.admin_of.append(agency)
    elif not grant and present:
        user.admin_of = [a for a in user.admin_of if a.id != agency.id]
    record_admin_event(session, "user", user.id, "agency_admin_granted" if grant else "agency_admin_revoked",
                       actor=actor, data={"agency_id": agency.id, "agency": agency.name})


def change_owner(session: Session, opportunity: Opportunity, new_owner: User, actor: User) -> None:
    if new_owner.is_contractor or not new_owner.is_verified or new_owner.disabled_at is not None:
        raise Refused("The new owner must be a verified, active APS employee (not a contractor).", 422, "email")
    previous = opportunity.owner_id
    opportunity.owner_id = new_owner.id
    opportunity.version += 1
    record_admin_event(session, "opportunity", opportunity.id, "owner_changed", actor=actor,
                       data={"from_user": previous, "to_user": new_owner.id})


def save_skill(session: Session, skill: Skill | None, name: str, family: str, actor: User) -> Skill:
    clash = session.scalar(select(Skill).where(Skill.name == name))
    if clash is not None and (skill is None or clash.id != skill.id):
        raise Refused("A skill with that name already exists.", 422, "name")
    created = skill is None
    skill = skill or Skill(name=name, family=family)
    if created:
        session.add(skill)
        session.flush()
    previous = skill.name
    skill.name, skill.family = name, family
    record_admin_event(session, "skill", skill.id, "added" if created else "renamed", actor=actor,
                       data={} if created else {"from": previous, "to": name})
    return skill


def set_skill_retired(session: Session, skill: Skill, retired: bool, actor: User) -> None:
    skill.retired = retired
    record_admin_event(session, "skill", skill.id, "retired" if retired else "restored", actor=actor)


def save_agency(session: Session, agency: Agency | None, values: dict, actor: User) -> Agency:
    clash = session.scalar(select(Agency).where(Agency.name == values["name"]))
    if clash is not None and (agency is None or clash.id != agency.id):
        raise Refused("An agency with that name already exists.", 422, "name")
    created = agency is None
    agency = agency or Agency(name=values["name"])
    if created:
        session.add(agency)
        session.flush()
    previous = agency.name
    for key, value in values.items():
        setattr(agency, key, value or (None if key != "name" else agency.name))
    record_admin_event(session, "agency", agency.id, "added" if created else "edited", actor=actor,
                       data={} if created else {"from": previous, "to": agency.name})
    return agency


def add_domain(session: Session, domain: str, actor: User) -> None:
    if session.get(AllowedDomain, domain) is not None:
        raise Refused("That domain is already on the list.", 422, "domain")
    session.add(AllowedDomain(domain=domain))
    record_admin_event(session, "domain", 0, "domain_added", actor=actor, data={"domain": domain})


def remove_domain(session: Session, domain: str, actor: User) -> None:
    found = session.get(AllowedDomain, domain)
    if found is None:
        raise Refused("That domain is not on the list.")
    session.delete(found)
    record_admin_event(session, "domain", 0, "domain_removed", actor=actor, data={"domain": domain})


def add_agency_domain(session: Session, domain: str, agency: Agency | None, contractors_only: bool,
                      actor: User) -> EmailDomain:
    """A domain people register with, owned by `agency` (None: an extra domain, whose people get no agency)."""
    if is_state_or_territory(domain):
        raise Refused("State, territory and local government domains cannot be added: the portal is for the APS.", 422,
                      "domain")
    if session.get(EmailDomain, domain) is not None:
        raise Refused("That domain is already recorded: move or restore it below.", 422, "domain")
    found = EmailDomain(domain=domain, contractors_only=contractors_only, agencies=[agency] if agency else [])
    session.add(found)
    record_admin_event(session, "domain", 0, "agency_domain_added", actor=actor,
                       data={"domain": domain, "agency_id": agency.id if agency else None,
                             "contractors_only": contractors_only})
    return found


def set_domain_agency(session: Session, found: EmailDomain, agency: Agency, share: bool, actor: User) -> None:
    """Move a domain to `agency`, or (share) let it serve `agency` as well as its present ones."""
    before = [a.id for a in found.agencies]
    found.agencies = ([a for a in found.agencies if a.id != agency.id] if share else []) + [agency]
    record_admin_event(session, "domain", 0, "agency_domain_shared" if share else "agency_domain_moved", actor=actor,
                       data={"domain": found.domain, "from_agency_ids": before,
                             "to_agency_ids": [a.id for a in found.agencies]})


def set_domain_retired(session: Session, found: EmailDomain, retired: bool, actor: User) -> None:
    """A retired domain admits nobody new; people already registered with it keep their accounts."""
    found.retired_at = clock.utcnow() if retired else None
    record_admin_event(session, "domain", 0, "agency_domain_retired" if retired else "agency_domain_restored",
                       actor=actor, data={"domain": found.domain})


def set_domain_contractors_only(session: Session, found: EmailDomain, contractors_only: bool, actor: User) -> None:
    found.contractors_only = contractors_only
    record_admin_event(session, "domain", 0, "agency_domain_contractors_only" if contractors_only
                       else "agency_domain_open_to_employees", actor=actor, data={"domain": found.domain})
