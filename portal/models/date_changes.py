"""A change of dates or commitment to a confirmed participation, waiting for (or answered by) its home manager."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.applications import Application, Arrangement
from portal.models.base import Base
from portal.models.opportunities import COMMITMENT_KINDS
from portal.models.users import User
from workflows import clock

STATES = {"pending": "Waiting for the home manager", "agreed": "Agreed", "declined": "Declined",
          "withdrawn": "Withdrawn"}


def _day(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else "to be agreed"


def dates_words(start: date | None, end: date | None) -> str:
    return f"{_day(start)} to {_day(end)}"


def commitment_words(kind: str, amount: int | None) -> str:
    return f"{amount} {COMMITMENT_KINDS.get(kind, kind)}" if amount else "to be agreed"


class DateChange(Base):
    """The proposed terms beside the terms in force when it was proposed (the ones a decline keeps)."""

    __tablename__ = "date_changes"
    __table_args__ = (Index("ix_date_changes_application_state", "application_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    state: Mapped[str] = mapped_column(String(20), default="pending")
    version: Mapped[int] = mapped_column(default=1)
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    commitment_kind: Mapped[str] = mapped_column(String(20))
    commitment_amount: Mapped[int | None]
    agreed_start_date: Mapped[date | None]
    agreed_end_date: Mapped[date | None]
    agreed_commitment_kind: Mapped[str] = mapped_column(String(20))
    agreed_commitment_amount: Mapped[int | None]
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    decided_at: Mapped[datetime | None]
    comment: Mapped[str | None] = mapped_column(Text)
    arrangement_id: Mapped[int | None] = mapped_column(ForeignKey("arrangements.id"))  # the version it gave

    application: Mapped[Application] = relationship()
    proposed_by: Mapped[User | None] = relationship()
    arrangement: Mapped[Arrangement | None] = relationship()

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def proposed_dates(self) -> str:
        return dates_words(self.start_date, self.end_date)

    @property
    def proposed_commitment(self) -> str:
        return commitment_words(self.commitment_kind, self.commitment_amount)

    @property
    def agreed_dates(self) -> str:
        return dates_words(self.agreed_start_date, self.agreed_end_date)

    @property
    def agreed_commitment(self) -> str:
        return commitment_words(self.agreed_commitment_kind, self.agreed_commitment_amount)
