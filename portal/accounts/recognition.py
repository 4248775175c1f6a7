"""What a person's profile and tracker show about their record: completed opportunities, skills the hosts
endorsed, badges."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.models import Application, Feedback, Opportunity, Skill
from portal.models.applications import feedback_revealed_sql

BADGES = ((1, "First opportunity completed"), (3, "3 opportunities completed"), (5, "5 opportunities completed"),
          (10, "10 opportunities completed"))


@dataclass
class Recognition:
    """What a person's profile shows: completed opportunities, endorsed skills, badges."""

    completed: list[Application]
    endorsed: list[tuple[str, int]]
    badges: list[str]
    comments: list[tuple[str, str]]  # (opportunity title, the host's comment) the person chose to show


def recognition(session: Session, user_id: int) -> Recognition:
    """A fixed handful of queries whatever the history: completions, endorsements, skill names, hosting."""
    completed = list(session.scalars(select(Application).where(
        Application.applicant_id == user_id, Application.state == "completed")
        .options(joinedload(Application.opportunity)).order_by(Application.completed_at.desc())))
    counts: dict[int, int] = {}
    for skill_ids in session.scalars(select(Feedback.endorsed_skill_ids).join(Application).where(
            Application.applicant_id == user_id, Feedback.author_role == "owner")):
        for skill_id in skill_ids or []:
            counts[skill_id] = counts.get(skill_id, 0) + 1
    names = {s.id: s.name for s in session.scalars(select(Skill).where(Skill.id.in_(counts)))} if counts else {}
    endorsed = sorted(((names[i], n) for i, n in counts.items() if i in names), key=lambda pair: (-pair[1], pair[0]))
    badges = [label for threshold, label in BADGES if len(completed) >= threshold]
    hosted = session.scalar(select(Application.id).join(Application.opportunity).where(
        Opportunity.owner_id == user_id, Application.state == "completed").limit(1))
    if hosted is not None:
        badges.append("First opportunity hosted")
    comments = [(title, comment) for title, comment in session.execute(
        select(Opportunity.title, Feedback.comment).select_from(Feedback)
        .join(Application, Application.id == Feedback.application_id)
        .join(Opportunity, Opportunity.id == Application.opportunity_id)
        .where(Application.applicant_id == user_id, Feedback.author_role == "owner", Feedback.shown_on_profile,
               Feedback.comment.is_not(None), feedback_revealed_sql())
        .order_by(Application.completed_at.desc()))]
    return Recognition(completed, endorsed, badges, comments)
