"""Questions people ask about an opportunity, and its owners' answers."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base
from portal.models.opportunities import Opportunity
from portal.models.users import User
from workflows import clock

QUESTION_LENGTH = 1000
ANSWER_LENGTH = 2000
QUESTION_STATES = {"open": "Waiting for an answer", "answered": "Answered", "hidden": "Hidden"}


class Question(Base):
    """One question on one opportunity (state: open, answered or hidden; see workflows/question.py)."""

    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_opportunity_state", "opportunity_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"))
    asker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(20), default="open")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)

    opportunity: Mapped[Opportunity] = relationship()
    asker: Mapped[User] = relationship(foreign_keys=[asker_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    @property
    def state_label(self) -> str:
        return QUESTION_STATES.get(self.state, self.state)
