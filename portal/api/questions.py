"""API v1: the questions on an opportunity, as its page shows them to the caller (the same one rule,
portal.questions.policy): answered ones for everyone who may see the opportunity, plus their own still waiting
for an answer (and, for its owners and admins, every question)."""
from __future__ import annotations

from flask import jsonify

from portal.api.blueprint import api_user, bp, iso, paging
from portal.extensions import db
from portal.models.questions import Question
from portal.opportunities import queries as opportunity_queries
from portal.questions.queries import shown_on


def _question(question: Question) -> dict:
    return {"id": question.id, "opportunity_id": question.opportunity_id, "question": question.body,
            "state": question.state, "answer": question.answer if question.state == "answered" else None,
            "asked_at": iso(question.created_at),
            "answered_at": iso(question.answered_at) if question.state == "answered" else None}


@bp.route("/opportunities/<id:opportunity_id>/questions")
def list_questions(opportunity_id: int):
    user = api_user()
    opportunity, roles = opportunity_queries.load_for(db.session, opportunity_id, user)
    page, size = paging()
    shown = shown_on(db.session, opportunity, user, roles)
    chunk = shown[(page - 1) * size: page * size]
    return jsonify(items=[_question(q) for q in chunk], page=page, size=size, total=len(shown),
                   next_page=page + 1 if page * size < len(shown) else None)

