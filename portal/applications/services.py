"""Application rules that need the database: who holds which role, applying, selecting, deciding.

Every state change goes through portal.transitions.apply; these functions add what the machine
cannot know (positions open, the home manager's link, matching the opportunity when it is full).
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import links, transitions
from portal.models import Application, AuditEvent, Opportunity, User
from portal.applications import load
from portal.opportunities import places, records
from portal.outbox import queue_email
from portal.transitions import RecordKind, SessionRecorder
from portal.urls import external_url
from workflows import Actor, Effect, Transition, clock
from workflows.application import AWAITING_DECISION, LIVE, MACHINE

SYSTEM = Actor(frozenset({"system"}), label="system")
HOME_MANAGER_LINK_DAYS = 28
HOME_MANAGER_LINK = links.LinkKind("home-manager-decision", max_age_seconds=HOME_MANAGER_LINK_DAYS * 86400)


def opportunity_url(opportunity_id: int) -> str:
    return external_url("opportunities.detail", opportunity_id=opportunity_id)


def _parties(application: Application) -> dict:
    opportunity = application.opportunity
    hosts = [opportunity.owner, *[u for u in opportunity.coowners if u.id != opportunity.owner_id]]
    return {
        "applicant": (application.applicant.name, application.applicant.email),
        "host": [(u.name, u.email) for u in hosts],
        "home_manager": (application.home_manager_name, application.home_manager_email),
    }


def _context(application: Application, party: str | None = None) -> dict:
    """What every e-mail about the application is told; the home manager also gets their signed decision link."""
    opportunity = application.opportunity
    values = {
        "application_id": application.id, "opportunity_title": opportunity.title,
        "applicant_name": application.applicant.name, "home_manager_name": application.home_manager_name,
        "host_name": opportunity.owner.name, "opportunity_url": opportunity_url(opportunity.id),
        "tracker_url": external_url("applications.mine"),
        "review_url": external_url("applications.review", opportunity_id=opportunity.id),
        "feedback_url": external_url("feedback.feedback", application_id=application.id),
    }
    if party == "home_manager":
        values.update(_home_manager_request(application, step=0))
    return values


KIND = RecordKind("application", MACHINE, _parties, _context, category="application")


def roles_for(user: User, application: Application) -> frozenset[str]:
    """The roles this person holds on this application (empty: they have no business with it)."""
    opportunity = application.opportunity
    roles = set()
    if user.id == application.applicant_id:
        roles.add("applicant")
    if opportunity.is_owned_by(user):
        roles.add("host")
    if user.email.lower() == application.home_manager_email.lower() and user.is_verified:
        roles.add("home_manager")
    if user.is_site_admin:
        roles.add("site_admin")
    elif user.administered_agency_ids & {opportunity.host_agency_id, application.applicant.agency_id}:
        roles.add("agency_admin")
    return frozenset(roles)


def actor_for(user: User, application: Application) -> Actor:
    return Actor(roles_for(user, application), user_id=user.id, label=user.email)


def home_manager_actor(application: Application) -> Actor:
    """Whoever holds the e-mailed link acts as the home manager named on the application."""
    return Actor(frozenset({"home_manager"}),
                 label=f"{application.home_manager_email} (home manager, by e-mailed link)")


def tell(session: Session, application: Application, template: str, party: str, actor: Actor,
         reason: str | None = None) -> None:
    """Queue a message to one party outside a transition (applying), through the same recorder."""
    moment = Transition(template, frozenset({application.state}), application.state, actor.roles)
    SessionRecorder(session, KIND).effect(application, moment, Effect(template, party), actor, reason, {})


def has_applied(session: Session, user: User, opportunity: Opportunity) -> bool:
    return session.scalar(select(Application.id).where(
        Application.applicant_id == user.id, Application.opportunity_id == opportunity.id)) is not None


def create(session: Session, user: User, opportunity: Opportunity, *, statement: str,
           relevant_skills: str | None, availability: str | None, home_manager_name: str,
           home_manager_email: str, development_goals: str | None = None, cv_filename: str | None = None, cv_path: str | None = None) -> Application:
    """A new application in state applied, its audit event, and e-mails to the applicant and host(s)."""
    application = Application(
        opportunity=opportunity, applicant=user, state="applied", version=1, statement=statement,
        relevant_skills=relevant_skills, availability=availability, development_goals=development_goals,
        home_manager_name=home_manager_name,
        home_manager_email=home_manager_email.lower(), cv_filename=cv_filename, cv_path=cv_path)
    session.add(application)
    session.flush()
    session.add(AuditEvent(record_type=KIND.name, record_id=application.id, action="apply", from_state=None,
                           to_state="applied", actor_id=user.id, actor_label=user.email))
    actor = actor_for(user, application)
    tell(session, application, "application_received", "applicant", actor)
    tell(session, application, "application_new", "host", actor)
    return application


def locked(session: Session, application_id: int) -> Application | None:
    """The application row, locked for the rest of the transaction so two decisions cannot both win."""
    return session.scalar(select(Application).where(Application.id == application_id).with_for_update()
                          .execution_options(populate_existing=True))


def select_applicant(session: Session, application: Application, actor: Actor) -> None:
    """Select, then at once ask the home manager (the request is an effect of the second move)."""
    opportunity = session.scalar(select(Opportunity).where(Opportunity.id == application.opportunity_id)
                                 .with_for_update(of=Opportunity))
    transitions.apply(session, KIND, application, "select", actor,
                      data={"positions_open": places.positions_open_now(session, opportunity)})
    application.manager_requested_at = clock.utcnow()
    transitions.apply(session, KIND, application, "request_manager_approval", actor)


def _home_manager_request(application: Application, step: int) -> dict:
    """A signed link to the decision page for this round (it dies when the application moves on)."""
    token = HOME_MANAGER_LINK.make(aid=application.id, v=application.version)
    return {"link": external_url("home_manager.manager_decision", token=token), "step": step,
            "host_email": application.opportunity.owner.email,
            "lapse_days": current_app.config["SETTINGS"].home_manager_lapse_days}


def ask_home_manager(session: Session, application: Application, step: int) -> None:
    """Remind the home manager with a fresh signed link (steps 1 and 2, from the sweep). The request itself is
    the table's effect of request_manager_approval."""
    if step < 1:
        raise ValueError("the home manager's request is sent by request_manager_approval, not by hand")
    context = dict(_context(application), **_home_manager_request(application, step), recipient_role="home_manager")
    queue_email(session, "home_manager_reminder", application.home_manager_email, context,
                key=f"application:{application.id}:home-manager:{step}:v{application.version}",
                name=application.home_manager_name, category="approvals")


def decide(session: Session, application: Application, actor: Actor, *, approve: bool,
           comment: str | None, conditions: str | None = None, total_agreed: bool = False) -> None:
    """The home manager's answer. Approval confirms the place (the table queues the paperwork, which prints the
    conditions they attach) and may fill the opportunity; above 20 % of the participant's time in all, only with
    `total_agreed` (the table's guard). A decline keeps no conditions."""
    data = {"total_share": round(load.load_of(session, application).total, 4),
            "total_agreed": total_agreed} if approve else None
    transitions.apply(session, KIND, application, "approve" if approve else "decline", actor, reason=comment,
                      data=data)
    application.manager_decided_at = clock.utcnow()
    application.manager_comment = comment
    application.manager_conditions = conditions if approve else None
    if approve:
        match_when_full(session, application.opportunity)


def match_when_full(session: Session, opportunity: Opportunity) -> None:
    """When confirmed participants fill every position the opportunity moves to matched, same transaction."""
    if opportunity.state != "open":
        return
    confirmed = session.scalar(select(func.count(Application.id)).where(
        Application.opportunity_id == opportunity.id, Application.state == "confirmed"))
    if (confirmed or 0) >= opportunity.positions:
        transitions.apply(session, records.OPPORTUNITY_KIND, opportunity, "match", SYSTEM)


def not_select(session: Session, application: Application, actor: Actor, message: str | None) -> None:
    transitions.apply(session, KIND, application, "not_select", actor, reason=message)
    application.owner_message = message
    application.decided_at = clock.utcnow()


def waiting_applications(opportunity_id: int):
    """Applications still hoping to be chosen, locked: the bulk "not selected" acts on these."""
    return (select(Application).where(Application.opportunity_id == opportunity_id,
                                      Application.state.in_(AWAITING_DECISION))
            .order_by(Application.id).with_for_update())


def cancel_live_applications(session: Session, opportunity: Opportunity, actor: Actor,
                             reason: str | None) -> int:
    """Called by the opportunity's cancel view, in its transaction: every live application is cancelled
    and its applicant told why. The opportunity's cancel was already authorised, so the applications are
    cancelled as a consequence (system role) in `actor`'s name. Returns how many were cancelled."""
    on_behalf = Actor(frozenset({"system"}), user_id=actor.user_id, label=actor.label or "system")
    live = session.scalars(select(Application).where(
        Application.opportunity_id == opportunity.id, Application.state.in_(LIVE))
        .order_by(Application.id).with_for_update()).all()
    for application in live:
        transitions.apply(session, KIND, application, "cancel", on_behalf, reason=reason)
    return len(live)


def complete(session: Session, application: Application, actor: Actor, early_finish_reason: str | None = None) -> None:
    """The host marks the participation done; the table's guard keeps the dates honest (not before the start, a
    reason before the end) and its effects queue the certificate and the host's feedback request."""
    reason = (early_finish_reason or "").strip() or None
    transitions.apply(session, KIND, application, "complete", actor, reason=reason,
                      data={"early_finish_reason": reason})
    application.completed_at = clock.utcnow()
    application.early_finish_reason = reason
