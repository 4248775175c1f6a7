"""The demo's questions: on an open opportunity a demo owner holds, one answered (shown to every reader) and one
still waiting for its answer (on the owner's to-do list and visible to its asker only)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from portal.models import AuditEvent, Opportunity, Question, User

ANSWERED = ("Could the work be done from Hobart, or do you need people in Canberra some days?",
            "Fully remote is fine. We meet on Teams each Tuesday morning and share everything in the team's channel.")
WAITING = "Is there room for someone who is new to user research but has run plenty of workshops?"


def seed_questions(session: Session, opportunities: list[Opportunity], owners: list[User], readers: list[User],
                   now: datetime) -> list[Question]:
    """Two questions on the first open, all-agency opportunity one of `owners` holds, asked by two of `readers`."""
    owner_ids = {owner.id for owner in owners}
    target = next((o for o in opportunities if o.state == "open" and not o.restricted_to_agency
                   and o.owner_id in owner_ids), None)
    askers = [reader for reader in readers if reader.id != getattr(target, "owner_id", None)][:2]
    if target is None or len(askers) < 2:
        return []
    answered = _asked(session, target, askers[0], ANSWERED[0], now - timedelta(days=3))
    answered.state, answered.answer = "answered", ANSWERED[1]
    answered.answered_by_id, answered.answered_at, answered.version = target.owner_id, now - timedelta(days=2), 2
    session.add(AuditEvent(record_type="question", record_id=answered.id, action="answer", from_state="open",
                           to_state="answered", actor_id=target.owner_id, actor_label=target.owner.email,
                           created_at=answered.answered_at))
    return [answered, _asked(session, target, askers[1], WAITING, now - timedelta(hours=5))]


def _asked(session: Session, opportunity: Opportunity, asker: User, body: str, at: datetime) -> Question:
    question = Question(opportunity=opportunity, asker=asker, body=body, state="open", version=1, created_at=at)
    session.add(question)
    session.flush()
    session.add(AuditEvent(record_type="question", record_id=question.id, action="ask", from_state=None,
                           to_state="open", actor_id=asker.id, actor_label=asker.email, created_at=at,
                           data={"opportunity_id": opportunity.id}))
    return question
