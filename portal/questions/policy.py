"""Who sees which questions on an opportunity, and who may ask: each rule once, the SQL filter and the Python
predicate side by side (tests/portal/questions/test_policy.py checks that they agree).

The opportunity's own policy (`opportunities.policy.may_see`) comes first: nobody reaches a question on an
opportunity they may not see. Past that:
- *Shown*: answered questions to everyone who may see the opportunity; a question still waiting for its answer
  only to the person who asked it and to those who manage the opportunity (its owners and co-owners, an admin of
  its host agency, a site admin); hidden questions only to those who manage it.
- *May ask*: a signed-in person who is not one of its owners, while it is open.
- Answering and hiding are moves of the question machine (workflows/question.py), which checks the roles.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, or_, true

from portal.models import Opportunity, User
from portal.models.questions import Question
from workflows import Refused

MANAGING_ROLES = frozenset({"owner", "agency_admin", "site_admin"})


def manages(roles: frozenset[str]) -> bool:
    """Whether someone with these roles on the opportunity sees every question on it."""
    return bool(roles & MANAGING_ROLES)


def shown_to(user_id: Any, roles: frozenset[str]) -> ColumnElement[bool]:
    """The SQL filter of `is_shown`, for one viewer whose roles on the opportunity are `roles`."""
    if manages(roles):
        return true()
    return or_(Question.state == "answered", and_(Question.state == "open", Question.asker_id == user_id))


def is_shown(question: Question, user: User, roles: frozenset[str]) -> bool:
    """Whether this viewer (who may see the opportunity) sees this question."""
    if manages(roles):
        return True
    return question.state == "answered" or (question.state == "open" and question.asker_id == user.id)


def cannot_ask(opportunity: Opportunity, roles: frozenset[str]) -> Refused | None:
    """Why this person may not ask a question here now, in words they can act on; None when they may.

    Only asked of someone who may see the opportunity (anyone else gets a 404 first)."""
    if "owner" in roles:
        return Refused("You own this opportunity: answer questions rather than ask them.", 403)
    if opportunity.state != "open":
        return Refused("Questions can be asked only while the opportunity is open.", 409)
    return None
