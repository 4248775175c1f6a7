"""Asking, answering and hiding questions: each audited, and each e-mail queued in the same transaction."""
from __future__ import annotations

from sqlalchemy.orm import Session

from portal import transitions
from portal.models import AuditEvent, Opportunity, User
from portal.models.questions import Question
from portal.opportunities.records import roles_for
from portal.outbox import queue_email
from portal.questions import policy
from portal.transitions import RecordKind
from portal.urls import external_url
from workflows import Actor, clock
from workflows.question import MACHINE


def _parties(question: Question) -> dict:
    return {"asker": (question.asker.name, question.asker.email)}


def _context(question: Question, party: str | None = None) -> dict:
    return {"title": question.opportunity.title, "question": question.body, "answer": question.answer or "",
            "link": external_url("opportunities.detail", opportunity_id=question.opportunity_id) + "#questions"}


KIND = RecordKind("question", MACHINE, _parties, _context, category="my_questions")


def actor_for(user: User, question: Question) -> Actor:
    """The roles a person holds on a question are the roles they hold on its opportunity."""
    return Actor(roles_for(user, question.opportunity), user.id, user.email)


def ask(session: Session, user: User, opportunity: Opportunity, body: str) -> Question:
    """A new open question, its audit event, and an e-mail (and in-app notice) to each owner, which each owner's
    choice for "Opportunities I own" may hold for the daily digest."""
    refused = policy.cannot_ask(opportunity, roles_for(user, opportunity))
    if refused:
        raise refused
    question = Question(opportunity=opportunity, asker=user, body=body.strip())
    session.add(question)
    session.flush()
    session.add(AuditEvent(record_type=KIND.name, record_id=question.id, action="ask", from_state=None,
                           to_state="open", actor_id=user.id, actor_label=user.email,
                           data={"opportunity_id": opportunity.id}))
    link = external_url("questions.answer", question_id=question.id)
    for owner in [opportunity.owner, *opportunity.coowners]:
        queue_email(session, "question_asked", owner.email,
                    {"title": opportunity.title, "question": question.body, "link": link,
                     "recipient_role": "owner"},
                    key=f"question:{question.id}:asked:{owner.email.lower()}", name=owner.name,
                    category="my_opportunities")
    return question


def answer(session: Session, question: Question, user: User, text: str, expected_version: int | None = None) -> None:
    """Answer an open question (the asker is told), or reword the answer of an answered one."""
    move = "answer" if question.state == "open" else "edit_answer"
    question.answer, question.answered_by_id, question.answered_at = text.strip(), user.id, clock.utcnow()
    transitions.apply(session, KIND, question, move, actor_for(user, question), expected_version=expected_version)


def hide(session: Session, question: Question, user: User, reason: str | None,
         expected_version: int | None = None) -> None:
    """Take a question (and its answer) off the opportunity's page; the reason stays in the audit log."""
    transitions.apply(session, KIND, question, "hide", actor_for(user, question), reason=reason,
                      expected_version=expected_version)
