"""Writing opportunities: drafts, ownership, submission, decisions, bookmarks.

Every state change goes through portal.transitions.apply; this module only prepares the record
(fields, search text, ownership) and picks the transition. What a move does to the opportunity's applications
goes through the cascade the app factory passed in (portal.opportunities.cascade).
"""
from __future__ import annotations


from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal import links
from portal.accounts.services import find_user, normalise_email
from portal.audit import record_admin_event
from portal.models import Agency, Opportunity, SavedOpportunity, Skill, User
from portal.opportunities import records
from portal.opportunities.cascade import cascade, terms_of
from portal.outbox import queue_email
from portal.transitions import apply
from workflows import Actor, Refused, clock, time_share

EDITABLE_STATES = ("draft", "open")
SUBSTANTIVE = ("title", "summary", "what_you_do", "what_you_gain", "about_team", "start_date", "end_date",
               "deadline", "clearance")
FIELDS = ("title", "summary", "what_you_do", "what_you_gain", "about_team", "kind", "team", "work_mode",
          "location_state", "location_city", "commitment_kind", "commitment_amount", "start_date", "end_date",
          "deadline", "positions", "clearance", "restricted_to_agency", "contact_name", "contact_email",
          "approving_manager_name", "approving_manager_email")
NULLABLE_TEXT = ("team", "location_state", "location_city", "contact_name", "contact_email",
                 "approving_manager_name", "approving_manager_email")
REQUIRED_TEXT = ("summary", "what_you_do", "what_you_gain", "about_team")


def refresh_derived(opportunity: Opportunity, agency: Agency | None) -> None:
    """Keep search text and commitment band in step with what the record says."""
    parts = [opportunity.title, opportunity.summary, opportunity.what_you_do, opportunity.what_you_gain,
             opportunity.about_team, opportunity.team, opportunity.location_city,
             " ".join(s.name for s in opportunity.skills)]
    if agency is not None:
        parts += [agency.name, agency.abbreviation]
    opportunity.search_text = "\n".join(p for p in parts if p)
    opportunity.commitment_band = time_share.band(opportunity.commitment_kind, opportunity.commitment_amount,
                                                  opportunity.start_date, opportunity.end_date)


def fill(session: Session, opportunity: Opportunity, values: dict, skill_ids: list[int]) -> set[str]:
    """Copy form values onto the record; returns the names of the fields that changed."""
    changed = set()
    for name in FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name in NULLABLE_TEXT and not value:
            value = None
        elif name in REQUIRED_TEXT and value is None:
            value = ""
        if name == "approving_manager_email" and value:
            value = normalise_email(value)
        if getattr(opportunity, name) != value:
            changed.add(name)
            setattr(opportunity, name, value)
    skills = list(session.scalars(select(Skill).where(Skill.id.in_(skill_ids)))) if skill_ids else []
    if {s.id for s in skills} != {s.id for s in opportunity.skills}:
        changed.add("skills")
        opportunity.skills = skills
    agency_id = values.get("host_agency_id") or None
    if opportunity.host_agency_id != agency_id:
        changed.add("host_agency_id")
        opportunity.host_agency_id = agency_id
    agency = session.get(Agency, agency_id) if agency_id else None
    opportunity.host_agency = agency
    refresh_derived(opportunity, agency)
    return changed


def hand_to_federal_manager(session: Session, opportunity: Opportunity) -> None:
    """A contractor posts for a named federal manager: once that manager has an account, they own it.

    The contractor stays on as a co-owner so they can keep editing on the manager's behalf.
    """
    creator = opportunity.creator or session.get(User, opportunity.creator_id)
    if not creator.is_contractor or opportunity.owner_id != creator.id or not opportunity.approving_manager_email:
        return
    manager = find_user(session, opportunity.approving_manager_email)
    if manager is None or manager.is_contractor or manager.verified_at is None or manager.id == creator.id:
        return
    opportunity.owner = manager
    if creator not in opportunity.coowners:
        opportunity.coowners.append(creator)


def create(session: Session, creator: User, values: dict, skill_ids: list[int]) -> Opportunity:
    opportunity = Opportunity(state="draft", version=1, creator=creator, owner=creator, title=values["title"])
    session.add(opportunity)
    fill(session, opportunity, values, skill_ids)
    hand_to_federal_manager(session, opportunity)
    session.flush()
    record_admin_event(session, "opportunity", opportunity.id, "created", actor=creator)
    return opportunity


def check_version(opportunity: Opportunity, version: int | None) -> None:
    if version is not None and version != opportunity.version:
        raise Refused("Someone else changed this opportunity while you were editing it. "
                      "Reload the page to see their changes, then make yours again.", 409)


def edit(session: Session, opportunity: Opportunity, actor: Actor, values: dict, skill_ids: list[int],
         editor: User) -> bool:
    """Save changes; a substantive change to an open opportunity sends it back for approval (True)."""
    if "owner" not in actor.roles:
        raise Refused("Only the owners of an opportunity can change it.", 403)
    if opportunity.state not in EDITABLE_STATES:
        raise Refused(f"An opportunity cannot be changed while it is {opportunity.state_label.lower()}.")
    check_version(opportunity, values.get("version"))
    before = terms_of(opportunity)
    changed = fill(session, opportunity, values, skill_ids)
    hand_to_federal_manager(session, opportunity)
    if changed & {"start_date", "end_date", "commitment_kind", "commitment_amount"}:
        cascade().propose_new_terms(session, opportunity, before, editor)  # confirmed participants' managers agree first
    if opportunity.state == "open" and changed & set(SUBSTANTIVE):
        submit(session, opportunity, actor, "resubmit_after_edit", data={"changed": ", ".join(sorted(changed))})
        return True
    if changed:
        opportunity.version += 1
        record_admin_event(session, "opportunity", opportunity.id, "edited", actor=editor,
                           data={"changed": ", ".join(sorted(changed))})
    session.flush()
    return False


def submit(session: Session, opportunity: Opportunity, actor: Actor, name: str = "submit", *,
           manager: tuple[str, str] | None = None, data: dict | None = None) -> None:
    """Send to the approving manager: the e-mail with the signed link is an effect of the transition."""
    if manager is not None:
        opportunity.approving_manager_name = manager[0]
        opportunity.approving_manager_email = normalise_email(manager[1])
    opportunity.submitted_at, opportunity.escalated_at = clock.utcnow(), None
    apply(session, records.OPPORTUNITY_KIND, opportunity, name, actor, data=data)


def decide(session: Session, opportunity: Opportunity, actor: Actor, decision: str, comment: str | None) -> None:
    """Approve, ask for changes or reject (the decision names the transition)."""
    if decision not in ("approve", "request_changes", "reject"):
        raise Refused("Choose approve, ask for changes or reject.", 422)
    apply(session, records.OPPORTUNITY_KIND, opportunity, decision, actor, reason=comment)
    if decision == "approve":
        opportunity.approved_at = clock.utcnow()
        hand_to_federal_manager(session, opportunity)
    else:
        opportunity.closed_at = clock.utcnow() if decision == "reject" else None


def decide_by_link(session: Session, link: links.Link, decision: str, comment: str | None) -> Opportunity:
    """The approving manager's decision from the signed e-mail link; the link is spent either way it goes."""
    opportunity = opportunity_for_link(session, link, lock=True)
    link.use(session)
    decide(session, opportunity, records.link_actor(opportunity), decision, comment)
    return opportunity


def opportunity_for_link(session: Session, link: links.Link, lock: bool = False) -> Opportunity:
    """The opportunity a live approval link is for. Decided another way (in the portal, or cancelled): no
    longer needed; still waiting but asked again since: the link from the earlier round counts as used."""
    query = select(Opportunity).where(Opportunity.id == link.payload["oid"])
    opportunity = session.scalar(query.with_for_update(of=Opportunity) if lock else query)
    if opportunity is None:
        raise links.LinkRefused("invalid")
    if opportunity.state != "approval":
        raise links.LinkRefused("not_needed")
    if opportunity.version != link.payload["v"]:
        raise links.LinkRefused("used")
    return opportunity


def toggle_applications(session: Session, opportunity: Opportunity, actor: Actor) -> None:
    apply(session, records.OPPORTUNITY_KIND, opportunity, "toggle_applications", actor,
          data={"accepting_applications": not opportunity.accepting_applications})
    opportunity.accepting_applications = not opportunity.accepting_applications


def finish(session: Session, opportunity: Opportunity, actor: Actor, name: str, *, reason: str | None = None,
           data: dict | None = None) -> None:
    """Close selection, complete or cancel: the moves that end an opportunity's active life.
    Cancelling also cancels every live application, whose applicants are told the reason."""
    apply(session, records.OPPORTUNITY_KIND, opportunity, name, actor, reason=reason, data=data)
    if name == "cancel":
        cascade().cancel_live_applications(session, opportunity, actor, reason)
    opportunity.closed_at = opportunity.closed_at or clock.utcnow()


def copy_to_draft(session: Session, source: Opportunity, user: User) -> Opportunity:
    """A new draft with the same content, owned by the person copying; dates are left for them to set."""
    values = {name: getattr(source, name) for name in FIELDS}
    values.update(title=source.title, start_date=None, end_date=None, deadline=None,
                  host_agency_id=source.host_agency_id)
    return create(session, user, values, [s.id for s in source.skills])


def add_coowner(session: Session, opportunity: Opportunity, actor: Actor, added_by: User, email: str) -> User:
    if "owner" not in actor.roles:
        raise Refused("Only the owners of an opportunity can add co-owners.", 403)
    person = find_user(session, email)
    if person is None or person.verified_at is None:
        raise Refused("Nobody with a confirmed oneAPS account uses this address. Ask them to register first.", 422,
                      "email")
    if opportunity.is_owned_by(person):
        raise Refused("This person already owns this opportunity.", 422, "email")
    opportunity.coowners.append(person)
    record_admin_event(session, "opportunity", opportunity.id, "coowner_added", actor=added_by,
                       data={"email": person.email})
    queue_email(session, "opportunity_coowner_added", person.email,
                dict(records.context(opportunity), actor_name=added_by.name),
                key=f"opportunity:{opportunity.id}:coowner:{person.id}", name=person.name, category="my_opportunities")
    session.flush()
    return person


def set_saved(session: Session, user: User, opportunity_id: int, saved: bool) -> None:
    """Bookmark or forget an opportunity; doing either twice is harmless."""
    session.execute(delete(SavedOpportunity).where(SavedOpportunity.user_id == user.id,
                                                   SavedOpportunity.opportunity_id == opportunity_id))
    if saved:
        session.add(SavedOpportunity(user_id=user.id, opportunity_id=opportunity_id))
    session.flush()


def complete_with_participants(session: Session, opportunity: Opportunity, actor: Actor, user: User,
                               done: list, early_finish_reason: str | None = None) -> None:
    """Mark the opportunity completed and, in the same transaction, the participations whose work is done
    (each gets its certificate and the feedback requests, under the same honest-dates guard); the others stay
    confirmed."""
    finish(session, opportunity, actor, "complete")
    cascade().complete_participations(session, done, user, early_finish_reason)
