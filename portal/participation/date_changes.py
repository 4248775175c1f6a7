"""New dates or commitment for a confirmed participation go back to its home manager before a new arrangement.

The host's edit proposes the change for each confirmed participant; the home manager agrees or declines by signed
link or signed in. Only agreement issues the next version of the arrangement (the job below). A decline leaves the
participation on the dates and commitment of the arrangement already issued: the participant and host are told,
and the host talks to them both (propose other dates, or mark the participation complete early with a reason).
"""
from __future__ import annotations


from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from portal import links, transitions
from portal.applications import services
from portal.models import Application, AuditEvent, DateChange, Opportunity, User
from portal.opportunities.cascade import Terms, terms_of
from portal.outbox import Handlers
from portal.participation import paperwork
from portal.transitions import RecordKind, SessionRecorder
from portal.urls import external_url
from workflows import Actor, Effect, Transition, clock
from workflows.date_change import MACHINE

LINK_DAYS = 28
LINK = links.LinkKind("date-change-decision", max_age_seconds=LINK_DAYS * 86400)


def _parties(change: DateChange) -> dict:
    return services.KIND.parties(change.application)


def _context(change: DateChange, party: str | None = None) -> dict:
    """The application's e-mail facts, both sets of terms in words, and for the home manager a signed link."""
    values = dict(services.KIND.context(change.application, None),
                  proposed_dates=change.proposed_dates, proposed_commitment=change.proposed_commitment,
                  agreed_dates=change.agreed_dates, agreed_commitment=change.agreed_commitment,
                  change_url=external_url("participation.date_change", change_id=change.id))
    if party == "home_manager":
        values.update(link=external_url("participation.date_change_by_link", token=LINK.make(cid=change.id)),
                      link_days=LINK_DAYS)
    return values


KIND = RecordKind("date_change", MACHINE, _parties, _context, category="approvals")


def tell(session: Session, change: DateChange, template: str, party: str, actor: Actor) -> None:
    moment = Transition("propose", frozenset({change.state}), change.state, actor.roles)
    SessionRecorder(session, KIND).effect(change, moment, Effect(template, party), actor, None, {})


def _agreed_terms(session: Session, application: Application, before: Terms) -> Terms:
    """The terms in force: those of the latest agreed change, or those a later change left standing, or the
    opportunity's before this edit when its dates were never changed since confirmation."""
    latest = session.scalar(select(DateChange).where(DateChange.application_id == application.id)
                            .order_by(DateChange.id.desc()).limit(1))
    if latest is None:
        return before
    if latest.state == "agreed":
        return (latest.start_date, latest.end_date, latest.commitment_kind, latest.commitment_amount)
    return (latest.agreed_start_date, latest.agreed_end_date, latest.agreed_commitment_kind,
            latest.agreed_commitment_amount)


def propose(session: Session, opportunity: Opportunity, before: Terms, editor: User) -> list[DateChange]:
    """Called by the opportunity's edit, in its transaction, when dates or commitment changed: each confirmed
    participant's home manager is asked to agree; an unanswered earlier change is withdrawn."""
    after = terms_of(opportunity)
    confirmed = session.scalars(select(Application).where(
        Application.opportunity_id == opportunity.id, Application.state == "confirmed")
        .order_by(Application.id).with_for_update()).all()
    proposed = []
    for application in confirmed:
        agreed = _agreed_terms(session, application, before)
        withdraw_pending(session, application, f"new terms proposed by {editor.email}")
        if after == agreed:
            continue
        change = DateChange(application=application, state="pending", version=1, start_date=after[0],
                            end_date=after[1], commitment_kind=after[2], commitment_amount=after[3],
                            agreed_start_date=agreed[0], agreed_end_date=agreed[1], agreed_commitment_kind=agreed[2],
                            agreed_commitment_amount=agreed[3], proposed_by_id=editor.id, proposed_at=clock.utcnow())
        session.add(change)
        session.flush()
        session.add(AuditEvent(record_type=KIND.name, record_id=change.id, action="propose", from_state=None,
                               to_state="pending", actor_id=editor.id, actor_label=editor.email,
                               data={"application_id": application.id, "dates": change.proposed_dates,
                                     "commitment": change.proposed_commitment}))
        actor = Actor(frozenset({"host"}), user_id=editor.id, label=editor.email)
        tell(session, change, "date_change_request", "home_manager", actor)
        tell(session, change, "date_change_proposed", "applicant", actor)
        proposed.append(change)
    return proposed


def withdraw_pending(session: Session, application: Application, reason: str) -> None:
    for change in session.scalars(select(DateChange).where(DateChange.application_id == application.id,
                                                           DateChange.state == "pending").with_for_update()):
        transitions.apply(session, KIND, change, "withdraw", services.SYSTEM, reason=reason)


def locked(session: Session, change_id: int) -> DateChange | None:
    return session.scalar(select(DateChange).where(DateChange.id == change_id).with_for_update()
                          .execution_options(populate_existing=True))


def decide(session: Session, change: DateChange, actor: Actor, *, agree: bool, comment: str | None) -> None:
    """The home manager's answer; the table's guard refuses once the participation is no longer going ahead."""
    transitions.apply(session, KIND, change, "agree" if agree else "decline", actor, reason=comment,
                      data={"participation": change.application.state})
    change.decided_at = clock.utcnow()
    change.comment = comment


def waiting_on_manager(session: Session, email: str) -> list[DateChange]:
    """Changes waiting on this person as home manager, for their to-do list."""
    return list(session.scalars(select(DateChange).join(DateChange.application).where(
        DateChange.state == "pending", Application.state == "confirmed",
        func.lower(Application.home_manager_email) == email.lower())
        .options(joinedload(DateChange.application).joinedload(Application.opportunity),
                 joinedload(DateChange.application).joinedload(Application.applicant))
        .order_by(DateChange.proposed_at, DateChange.id)))


def issue_agreed_arrangement(session: Session, context: dict) -> None:
    """The job an agreement queues: the next version of the arrangement, with the agreed dates, sent to the three
    parties for acknowledgement. Once per change, so a retried job issues nothing twice."""
    change = session.get(DateChange, context["date_change_id"])
    if change is None or change.state != "agreed" or change.arrangement_id is not None:
        return
    application = session.get(Application, change.application_id)
    if application is None or application.state != "confirmed":
        return
    change.arrangement = paperwork.issue_arrangement(session, application, change.start_date, change.end_date)


HANDLERS = Handlers(jobs={"issue-agreed-arrangement": issue_agreed_arrangement}, attachments={})
