"""What each side of a completed participation may read of the other's feedback. The rule itself (both given, or
14 days after completion) is `feedback_revealed` beside the Feedback record; the pages here and the profile ask it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Application, Feedback
from portal.models.applications import FEEDBACK_REVEAL_AFTER, feedback_revealed

OTHER_SIDE = {"owner": "participant", "participant": "owner"}


def given_on(session: Session, application: Application) -> dict[str, Feedback]:
    """The feedback given on one participation, by author role."""
    return {f.author_role: f for f in session.scalars(select(Feedback).where(Feedback.application_id == application.id))}


def from_the_other_side(given: dict[str, Feedback], application: Application, reader_role: str) -> Feedback | None:
    """What the other party wrote, when the rule lets `reader_role` see it."""
    other = given.get(OTHER_SIDE[reader_role])
    return other if other is not None and feedback_revealed(given, application.completed_at) else None


def revealed_on(application: Application) -> datetime | None:
    """When the other side's feedback shows even if one party never gives theirs."""
    return application.completed_at + FEEDBACK_REVEAL_AFTER if application.completed_at else None
