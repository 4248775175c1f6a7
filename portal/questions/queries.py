"""Reading questions for one person: the opportunity page's section (one statement), one question to act on,
and the questions waiting for an answer on a person's own opportunities."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager, joinedload

from portal.models import Opportunity, User
from portal.models.questions import Question
from portal.opportunities import policy as opportunity_policy
from portal.opportunities.records import roles_for
from portal.questions import policy
from workflows import Refused


@dataclass(frozen=True)
class Section:
    """What the opportunity page shows one viewer under "Questions and answers"."""

    questions: list[Question]
    manages: bool
    cannot_ask: Refused | None


def shown_on(session: Session, opportunity: Opportunity, user: User, roles: frozenset[str]) -> list[Question]:
    """The questions this viewer sees on an opportunity they may see, newest first, in one statement."""
    return list(session.scalars(
        select(Question).where(Question.opportunity_id == opportunity.id, policy.shown_to(user.id, roles))
        .options(joinedload(Question.asker)).order_by(Question.created_at.desc(), Question.id.desc())))


def section(session: Session, opportunity: Opportunity, user: User, roles: frozenset[str], *,
            asked: bool = True) -> Section:
    """The opportunity page's questions for this viewer: one statement whatever the number of questions, none when
    the page's own statement found that nobody has asked one (`asked`)."""
    return Section(shown_on(session, opportunity, user, roles) if asked else [], policy.manages(roles),
                   policy.cannot_ask(opportunity, roles))


def load_for(session: Session, question_id: int, user: User, *, lock: bool = False) -> tuple[Question, frozenset[str]]:
    """The question and the viewer's roles on its opportunity, or 404 for a question they may not see."""
    query = select(Question).where(Question.id == question_id).options(
        joinedload(Question.asker),
        joinedload(Question.opportunity).selectinload(Opportunity.coowners))
    if lock:
        query = query.with_for_update(of=Question)
    question = session.scalar(query)
    if question is None or not opportunity_policy.may_see(user, question.opportunity):
        abort(404)
    roles = roles_for(user, question.opportunity)
    if not policy.is_shown(question, user, roles):
        abort(404)
    return question, roles


def unanswered_on_mine(session: Session, user: User) -> list[Question]:
    """Questions waiting for an answer on opportunities this person owns or co-owns, oldest first."""
    return list(session.scalars(
        select(Question).join(Question.opportunity)
        .where(Question.state == "open", opportunity_policy.owned_by(user.id))
        .options(contains_eager(Question.opportunity))
        .order_by(Question.created_at, Question.id)))
