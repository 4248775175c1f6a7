"""Reading opportunities for one person: what they may see, what they own, what happened to it."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from flask import abort
from sqlalchemy import Row, Select, bindparam, case, func, inspect, select
from sqlalchemy.orm import Session, defer, joinedload, lazyload, selectinload, with_expression

from portal.models import Application, AuditEvent, Opportunity, SavedOpportunity, User
from portal.models.base import joined_ids
from portal.models.opportunities import opportunity_coowners
from portal.models.questions import Question
from portal.opportunities import places, policy
from portal.opportunities.records import roles_for
from workflows.application import AWAITING_DECISION, LIVE as LIVE_APPLICATION_STATES
from workflows import clock


def load_for(session: Session, opportunity_id: int, user: User, *,
             lock: bool = False) -> tuple[Opportunity, frozenset[str]]:
    """The opportunity and the viewer's roles on it, or 404 for anything they may not see."""
    query = select(Opportunity).where(Opportunity.id == opportunity_id)
    if lock:
        query = query.with_for_update(of=Opportunity)
    opportunity = session.scalar(query.options(selectinload(Opportunity.coowners), selectinload(Opportunity.skills),
                                               joinedload(Opportunity.owner)))
    return _seen_by(user, opportunity)


def _seen_by(user: User, opportunity: Opportunity | None) -> tuple[Opportunity, frozenset[str]]:
    if opportunity is None or not policy.may_see(user, opportunity):
        abort(404)
    return opportunity, roles_for(user, opportunity)


@dataclass
class OwnedOpportunity:
    opportunity: Opportunity
    applicants: int
    confirmed: int
    to_review: int = 0  # applied or shortlisted: waiting for the owner's decision

    @property
    def deadline_passed(self) -> bool:
        """Open, and applications have closed: the owner selects (or lets it expire)."""
        deadline = self.opportunity.deadline
        return self.opportunity.state == "open" and deadline is not None and deadline < clock.canberra_today()

    @property
    def waiting_on(self) -> str:
        """Who has to act next, in the words the owner sees."""
        opportunity = self.opportunity
        state = opportunity.state
        if state == "draft":
            return "You: finish it and submit it for approval"
        if state == "approval":
            return f"{opportunity.approving_manager_name or 'The approving manager'} to approve it"
        if state == "open":
            if self.deadline_passed:
                return "You: select participants from the applicants"
            return "Applicants, until applications close"
        if state == "matched":
            return "You: mark it completed when the work is done"
        return "Nothing: it is finished"


def owned_by(session: Session, user: User, states: tuple[str, ...] = ()) -> list[OwnedOpportunity]:
    """Everything the person owns or co-owns (in `states`, when given), with applicant counts from one aggregate
    subquery."""
    counts = (select(Application.opportunity_id.label("oid"),
                     func.sum(case((Application.state.in_(LIVE_APPLICATION_STATES), 1), else_=0)).label("live"),
                     func.sum(case((Application.state == "confirmed", 1), else_=0)).label("confirmed"),
                     func.sum(case((Application.state.in_(AWAITING_DECISION), 1), else_=0)).label("to_review"))
              .group_by(Application.opportunity_id).subquery())
    rows = session.execute(
        select(Opportunity, func.coalesce(counts.c.live, 0), func.coalesce(counts.c.confirmed, 0),
               func.coalesce(counts.c.to_review, 0))
        .outerjoin(counts, counts.c.oid == Opportunity.id)
        .where(policy.owned_by(user.id), *([Opportunity.state.in_(states)] if states else []))
        .order_by(Opportunity.updated_at.desc(), Opportunity.id.desc()))
    return [OwnedOpportunity(o, int(live), int(confirmed), int(review)) for o, live, confirmed, review in rows]


def timeline(session: Session, opportunity: Opportunity) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.record_type == "opportunity",
                                                         AuditEvent.record_id == opportunity.id)
                                .options(selectinload(AuditEvent.actor))
                                .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())))


def confirmed_count(session: Session, opportunity: Opportunity) -> int:
    return session.scalar(select(func.count(Application.id)).where(
        Application.opportunity_id == opportunity.id, Application.state == "confirmed")) or 0


@dataclass(frozen=True)
class ViewerFacts:
    """What the opportunity page shows one viewer besides the opportunity itself."""

    applied: bool
    positions_open: int
    saved: bool
    questions_asked: bool = True  # whether anyone has asked a question on it (False: its section needs no statement)


def _facts(opportunity_id: Any, viewer_id: Any) -> tuple:
    """The SQL of ViewerFacts for one opportunity (`opportunity_id` may be a column, either may be a bound
    parameter): applied, places taken, saved."""
    applied = select(Application.id).where(Application.opportunity_id == opportunity_id,
                                           Application.applicant_id == viewer_id).exists()
    saved = select(SavedOpportunity.opportunity_id).where(SavedOpportunity.user_id == viewer_id,
                                                          SavedOpportunity.opportunity_id == opportunity_id).exists()
    return applied, places.places_taken(opportunity_id), saved


def viewer_facts(session: Session, opportunity: Opportunity, user: User) -> ViewerFacts:
    """Whether they applied, the positions open and whether they saved it, in one statement."""
    row = session.execute(select(*_facts(opportunity.id, user.id))).one()
    return ViewerFacts(bool(row[0]), places.positions_open(opportunity, row[1]), bool(row[2]))


def with_coowners(*columns: Any, person: Select | None = None) -> Select:
    """One opportunity (bound parameter `opportunity_id`) with its co-owners' ids, who decide the viewer's roles, and
    `columns` beside it, for `load_row`; not its host agency, which only its public body shows (kept, page_views).
    Given the signed-in `person`'s statement, the opportunity is joined to their row instead, so a page reads both in
    one statement (portal/page_rows.py); no such opportunity leaves it None, a 404 like any other. A page builds its
    statement once (functools.cache): putting subqueries together costs more Python than running them."""
    if person is None:
        statement = select(Opportunity, *columns).where(Opportunity.id == bindparam("opportunity_id"))
    else:
        statement = (person.add_columns(Opportunity, *columns)
                     .outerjoin_from(User, Opportunity, Opportunity.id == bindparam("opportunity_id")))
    coowner_ids = joined_ids(opportunity_coowners.c.user_id, opportunity_coowners.c.opportunity_id == Opportunity.id)
    return statement.options(with_expression(Opportunity.joined_coowner_ids, coowner_ids),
                             lazyload(Opportunity.host_agency))


def load_row(session: Session, statement: Select, user: User, carried: tuple | None = None,
             **params: Any) -> tuple[Opportunity, frozenset[str], Row | tuple]:
    """`load_for` for a page that reads what else it needs in the same statement (`with_coowners`), or in the
    person's (the row it `carried`): the opportunity, the viewer's roles and the row, or 404 for
    anything they may not see."""
    row = carried or session.execute(statement, params).one_or_none()
    opportunity, roles = _seen_by(user, row[0] if row else None)
    return opportunity, roles, row


# What only the opportunity page's public body (kept: page_views.public_body) and its owner's checklist show: the page
# statement leaves them out, and `load_body` reads them in one statement when either is drawn.
BODY_ONLY = (Opportunity.summary, Opportunity.what_you_do, Opportunity.what_you_gain, Opportunity.about_team,
             Opportunity.team, Opportunity.location_state, Opportunity.location_city, Opportunity.host_address,
             Opportunity.work_mode, Opportunity.commitment_kind, Opportunity.commitment_amount,
             Opportunity.commitment_band, Opportunity.start_date, Opportunity.end_date, Opportunity.contact_name,
             Opportunity.contact_email, Opportunity.approving_manager_name, Opportunity.submitted_at,
             Opportunity.approved_at, Opportunity.escalated_at, Opportunity.closed_at, Opportunity.created_at,
             Opportunity.updated_at)


def page_row(person: Select | None = None) -> Select:
    """The opportunity page's row: the opportunity without what only its body shows (BODY_ONLY), ViewerFacts' values
    and whether anyone has asked a question; in the signed-in `person`'s statement when it is given (page_rows)."""
    viewer_id = bindparam("viewer_id") if person is None else User.id
    asked = select(Question.id).where(Question.opportunity_id == Opportunity.id).exists()
    return (with_coowners(*_facts(Opportunity.id, viewer_id), asked, person=person)
            .options(*[defer(column) for column in BODY_ONLY]))


_page_statement = cache(page_row)


def load_body(session: Session, opportunity: Opportunity) -> None:
    """Read what `page_for` left out (BODY_ONLY) in one statement, not one a column as each is first read."""
    unloaded = inspect(opportunity).unloaded & {column.key for column in BODY_ONLY}
    if unloaded:
        session.refresh(opportunity, attribute_names=sorted(unloaded))


def page_for(session: Session, opportunity_id: int, user: User,
             carried: tuple | None = None) -> tuple[Opportunity, frozenset[str], ViewerFacts]:
    """`load_for` and `viewer_facts` for the opportunity page in one statement (and whether anyone has asked a
    question), or from the row the person's statement `carried` (`page_row`); its skills, owner and host agency
    are only read when its public body is rendered (page_views)."""
    opportunity, roles, row = load_row(session, _page_statement(), user, carried, opportunity_id=opportunity_id,
                                       viewer_id=user.id)
    return opportunity, roles, ViewerFacts(bool(row[1]), places.positions_open(opportunity, row[2]), bool(row[3]),
                                           bool(row[4]))


def call_to_action(opportunity: Opportunity, user: User, facts: ViewerFacts) -> str:
    """Which button or message the viewer gets: apply, or why not (owner, applied, contractor, closed, paused)."""
    refused = policy.cannot_apply(user, opportunity, facts.applied)
    return refused.code if refused else "apply"


def saved_by(session: Session, user: User) -> list[Opportunity]:
    """Their bookmarks they may still see: one cancelled, or made agency-only since, drops out of the list."""
    return list(session.scalars(select(Opportunity)
                                .join(SavedOpportunity, SavedOpportunity.opportunity_id == Opportunity.id)
                                .where(SavedOpportunity.user_id == user.id, policy.visible_to(user))
                                .options(selectinload(Opportunity.skills))
                                .order_by(SavedOpportunity.created_at.desc())))


def confirmed_applications(session: Session, opportunity: Opportunity) -> list[Application]:
    """Participants whose work can be marked complete, with their names (one query)."""
    return list(session.scalars(select(Application).where(
        Application.opportunity_id == opportunity.id, Application.state == "confirmed")
        .options(joinedload(Application.applicant)).order_by(Application.id)))
