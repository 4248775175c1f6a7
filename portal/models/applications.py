"""Applications, and what a confirmed participation produces: arrangement, certificate, feedback."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Iterable

from sqlalchemy import JSON, ColumnElement, exists, false, or_, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from portal.models.base import Base, Timestamps
from portal.models.opportunities import Opportunity
from portal.models.users import User
from workflows import clock

STATES = {
    "applied": "Applied", "shortlisted": "Shortlisted", "selected": "Selected",
    "manager_approval": "Waiting for home manager", "confirmed": "Confirmed", "completed": "Completed",
    "withdrawn": "Withdrawn", "not_selected": "Not selected", "manager_declined": "Home manager declined",
    "lapsed": "Lapsed", "cancelled": "Cancelled",
}


class Application(Timestamps, Base):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("opportunity_id", "applicant_id"),
        Index("ix_applications_applicant_state", "applicant_id", "state"),
        Index("ix_applications_opportunity_state", "opportunity_id", "state"),
        Index("ix_applications_opportunity_created", "opportunity_id", "created_at", "id"),  # the applicants page
        Index("ix_applications_state_requested", "state", "manager_requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(20), default="applied")
    version: Mapped[int] = mapped_column(default=1)
    statement: Mapped[str] = mapped_column(Text)
    relevant_skills: Mapped[str | None] = mapped_column(Text)
    availability: Mapped[str | None] = mapped_column(Text)
    development_goals: Mapped[str | None] = mapped_column(Text)  # the applicant's own, asked on the application form
    cv_filename: Mapped[str | None] = mapped_column(String(200))
    cv_path: Mapped[str | None] = mapped_column(String(200))
    home_manager_name: Mapped[str] = mapped_column(String(120))
    home_manager_email: Mapped[str] = mapped_column(String(254))
    manager_requested_at: Mapped[datetime | None]
    manager_decided_at: Mapped[datetime | None]
    manager_comment: Mapped[str | None] = mapped_column(Text)
    manager_conditions: Mapped[str | None] = mapped_column(Text)  # what the home manager attached to an approval
    owner_message: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    early_finish_reason: Mapped[str | None] = mapped_column(Text)  # the host's, when done before the end date

    opportunity: Mapped[Opportunity] = relationship()
    applicant: Mapped[User] = relationship()

    @property
    def state_label(self) -> str:
        return STATES[self.state]


class Arrangement(Base):
    """One version of the informal-arrangement document for a confirmed participation."""

    __tablename__ = "arrangements"
    __table_args__ = (UniqueConstraint("application_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    version: Mapped[int] = mapped_column(default=1)
    reference: Mapped[str] = mapped_column(String(40))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # read only to send or download it
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)

    application: Mapped[Application] = relationship()
    acknowledgements: Mapped[list["Acknowledgement"]] = relationship(back_populates="arrangement",
                                                                     order_by="Acknowledgement.party")


class Acknowledgement(Base):
    __tablename__ = "acknowledgements"
    __table_args__ = (UniqueConstraint("arrangement_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    arrangement_id: Mapped[int] = mapped_column(ForeignKey("arrangements.id"))
    party: Mapped[str] = mapped_column(String(20))  # participant, home_manager, host_manager
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    acknowledged_at: Mapped[datetime | None]

    arrangement: Mapped[Arrangement] = relationship(back_populates="acknowledgements")


class Certificate(Base):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    reference: Mapped[str] = mapped_column(String(40))
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # read only to send or download it
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)


class Feedback(Base):
    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("application_id", "author_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    author_role: Mapped[str] = mapped_column(String(20))  # owner or participant
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    rating: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    endorsed_skill_ids: Mapped[list] = mapped_column(JSON, default=list)
    shown_on_profile: Mapped[bool] = mapped_column(default=False, server_default=false())  # the host's comment
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)


# Each side of a completed participation sees the other's feedback once both have given it, or this long after
# completion, whichever comes first, so neither writes in reply to the other. The rule sits beside its record (the
# profile in accounts and the feedback pages in applications both ask it); its predicate and its SQL agree.
FEEDBACK_REVEAL_AFTER = timedelta(days=14)
FEEDBACK_SIDES = ("owner", "participant")


def feedback_revealed(given_by: Iterable[str], completed_at: datetime | None, now: datetime | None = None) -> bool:
    """Whether feedback on a participation completed at `completed_at`, given by the roles in `given_by`, is seen."""
    if set(FEEDBACK_SIDES) <= set(given_by):
        return True
    return completed_at is not None and (now or clock.utcnow()) >= completed_at + FEEDBACK_REVEAL_AFTER


def feedback_revealed_sql(now: datetime | None = None) -> ColumnElement[bool]:
    """`feedback_revealed` as a filter on Feedback rows joined to their Application."""
    other = aliased(Feedback)
    both = exists().where(other.application_id == Feedback.application_id, other.author_role != Feedback.author_role)
    return or_(both, Application.completed_at <= (now or clock.utcnow()) - FEEDBACK_REVEAL_AFTER)
