"""What needs me: the signed-in person's to-do list, each item built from the rule of the page it links to (the
approvals queue, the owner's list, the acknowledgements the reminder sweep chases, the completion guard's dates,
the feedback pages, the tracker), in a fixed number of SQL statements whatever the amount of data."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, joinedload

from portal.applications.queries import Tracked, manager_queue, my_applications
from portal.approvals.opportunities import Pending, pending_for
from portal.models import Acknowledgement, Application, Arrangement, Feedback, Opportunity, User
from portal.opportunities import policy
from portal.opportunities.queries import OwnedOpportunity, owned_by
from portal.participation import paperwork
from workflows.application import LIVE, completion_step


@dataclass
class ToDo:
    opportunity_approvals: list[Pending] = field(default_factory=list)
    home_manager_approvals: list[Tracked] = field(default_factory=list)
    to_review: list[OwnedOpportunity] = field(default_factory=list)  # applicants waiting, or the deadline passed
    acknowledgements: list[tuple[Acknowledgement, Application]] = field(default_factory=list)
    to_complete: list[Application] = field(default_factory=list)
    feedback: list[tuple[Application, str]] = field(default_factory=list)  # (participation, "participant"/"owner")
    applications: list[Tracked] = field(default_factory=list)  # my live applications, each with its next step

    @property
    def actions(self) -> int:
        """How many things wait on this person (their applications' steps are for following, not counted)."""
        return (len(self.opportunity_approvals) + len(self.home_manager_approvals) + len(self.to_review)
                + len(self.acknowledgements) + len(self.to_complete) + len(self.feedback))


def _owed_acknowledgements(session: Session, user: User) -> list[tuple[Acknowledgement, Application]]:
    rows = session.execute(
        select(Acknowledgement, Application).join(Acknowledgement.arrangement)
        .join(Application, Application.id == Arrangement.application_id)
        .where(*paperwork.owed_acknowledgements(), func.lower(Acknowledgement.email) == user.email.lower())
        .options(joinedload(Application.opportunity), joinedload(Acknowledgement.arrangement))
        .order_by(Acknowledgement.id))
    return [(ack, application) for ack, application in rows]


def _confirmed_on_mine(session: Session, user: User) -> list[Application]:
    """Confirmed participations on opportunities this person owns whose dates let them be marked complete now
    (`completion_step` is the completion guard's own rule)."""
    rows = session.scalars(
        select(Application).join(Application.opportunity)
        .where(Application.state == "confirmed", policy.owned_by(user.id))
        .options(joinedload(Application.opportunity), joinedload(Application.applicant))
        .order_by(Opportunity.end_date, Application.id))
    return [a for a in rows
            if completion_step(a.opportunity.start_date, a.opportunity.end_date) == "due"]


def _feedback_to_give(session: Session, user: User) -> list[tuple[Application, str]]:
    """Completed participations where this person's side (participant or host) has not given feedback yet."""
    def given(role: str):
        return exists().where(Feedback.application_id == Application.id, Feedback.author_role == role)

    as_participant = (Application.applicant_id == user.id) & ~given("participant")
    as_host = policy.owned_by(user.id) & ~given("owner")
    rows = session.execute(
        select(Application, as_participant).join(Application.opportunity)
        .where(Application.state == "completed", as_participant | as_host)
        .options(joinedload(Application.opportunity), joinedload(Application.applicant))
        .order_by(Application.completed_at.desc(), Application.id))
    return [(application, "participant" if mine else "owner") for application, mine in rows]


def needs_me(session: Session, user: User) -> ToDo:
    """Everything waiting on `user`, and where each of their live applications stands."""
    return ToDo(
        opportunity_approvals=pending_for(session, user),
        home_manager_approvals=manager_queue(session, user.email),
        to_review=[o for o in owned_by(session, user, states=("open",)) if o.to_review or o.deadline_passed],
        acknowledgements=_owed_acknowledgements(session, user),
        to_complete=_confirmed_on_mine(session, user),
        feedback=_feedback_to_give(session, user),
        applications=[] if user.is_contractor else
        [t for t in my_applications(session, user.id) if t.application.state in LIVE],
    )
