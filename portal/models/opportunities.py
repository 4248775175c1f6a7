"""Opportunities: what a host team offers, and who owns it."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from portal.models.base import Base, Timestamps, ids_in
from workflows import clock
from portal.models.users import CLEARANCES, Agency, Skill, User

OPPORTUNITY_KINDS = {
    "project": "Project",
    "working_group": "Working group",
    "testing": "Testing / feedback",
    "shadowing": "Shadowing / internship",
    "mentoring": "Mentoring",
    "other": "Other",
}
WORK_MODES = {"remote": "Remote", "hybrid": "Hybrid", "in_person": "In person"}
COMMITMENT_KINDS = {"total_hours": "hours in total", "hours_per_week": "hours a week", "percent": "% of time"}
COMMITMENT_BANDS = {"up_to_10h": "10 hours or less", "up_to_1_day": "Up to 1 day a week",
                    "over_1_day": "More than 1 day a week"}
STATES = {"draft": "Draft", "approval": "Waiting for approval", "open": "Open", "matched": "Matched",
          "completed": "Completed", "cancelled": "Cancelled", "expired": "Expired", "rejected": "Rejected"}
SKILL_SEPARATOR = "\x1f"  # ASCII unit separator: cannot be typed into a skill name field
AUSTRALIAN_STATES = ("ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA")

opportunity_skills = Table(
    "opportunity_skills", Base.metadata,
    Column("opportunity_id", ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id"), primary_key=True),
)

opportunity_coowners = Table(
    "opportunity_coowners", Base.metadata,
    Column("opportunity_id", ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Opportunity(Timestamps, Base):
    __tablename__ = "opportunities"
    __table_args__ = (
        Index("ix_opportunities_state_deadline", "state", "deadline"),
        Index("ix_opportunities_owner_state", "owner_id", "state"),
        Index("ix_opportunities_browse", "state", "deadline", "restricted_to_agency", "host_agency_id", "kind",
              "work_mode", "location_state", "commitment_band", "clearance"),
        Index("ix_opportunities_state_approved", "state", "approved_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    version: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text, default="")
    what_you_do: Mapped[str] = mapped_column(Text, default="")
    what_you_gain: Mapped[str] = mapped_column(Text, default="")
    about_team: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="project")
    host_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    team: Mapped[str | None] = mapped_column(String(120))
    location_state: Mapped[str | None] = mapped_column(String(3))
    location_city: Mapped[str | None] = mapped_column(String(80))
    host_address: Mapped[str | None] = mapped_column(String(250))
    work_mode: Mapped[str] = mapped_column(String(10), default="remote")
    commitment_kind: Mapped[str] = mapped_column(String(20), default="hours_per_week")
    commitment_amount: Mapped[int | None]
    commitment_band: Mapped[str | None] = mapped_column(String(12))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    deadline: Mapped[date | None]
    positions: Mapped[int] = mapped_column(default=1)
    clearance: Mapped[str] = mapped_column(String(10), default="none")
    restricted_to_agency: Mapped[bool] = mapped_column(default=False)
    accepting_applications: Mapped[bool] = mapped_column(default=True)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    creator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approving_manager_name: Mapped[str | None] = mapped_column(String(120))
    approving_manager_email: Mapped[str | None] = mapped_column(String(254))
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Written for the text index (portal/search_schema.py), never read back: deferred, so no page loads it.
    search_text: Mapped[str] = mapped_column(Text, default="", deferred=True)

    host_agency: Mapped[Agency | None] = relationship(lazy="joined")
    creator: Mapped[User] = relationship(foreign_keys=[creator_id])
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    skills: Mapped[list[Skill]] = relationship(secondary=opportunity_skills, order_by=Skill.name)
    coowners: Mapped[list[User]] = relationship(secondary=opportunity_coowners)
    # Its skills' names joined by SKILL_SEPARATOR, when the statement that found it aggregated them (search does,
    # to list a page of results in one statement); None otherwise.
    joined_skill_names: Mapped[str | None] = query_expression()
    # Its co-owners' ids, comma-separated ("" for none), for a page that reads them in its own statement.
    joined_coowner_ids: Mapped[str | None] = query_expression()

    @property
    def skill_names(self) -> list[str]:
        """Its skills' names A-Z, from the aggregate when loaded with it, from the relationship otherwise."""
        if self.joined_skill_names is not None:
            return sorted(name for name in self.joined_skill_names.split(SKILL_SEPARATOR) if name)
        return [skill.name for skill in self.skills]

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    def is_owned_by(self, user: User) -> bool:
        return user.id == self.owner_id or user.id in self.coowner_ids

    @property
    def coowner_ids(self) -> frozenset[int]:
        """Its co-owners' ids, from the aggregate when loaded with it (queries.with_coowners), from the relationship
        otherwise."""
        if self.joined_coowner_ids is not None:
            return ids_in(self.joined_coowner_ids)
        return frozenset(user.id for user in self.coowners)


class SavedOpportunity(Base):
    """A bookmark a person keeps to come back to."""

    __tablename__ = "saved_opportunities"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"),
                                                primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)


class ListingGeneration(Base):
    """One row: a number moved in the same transaction as any change to what the listing shows (an opportunity,
    its skills, an agency, a skill, an owner's name), so a page kept under the number it was made in is out of date
    exactly when a change is committed (portal/opportunities/facet_cache.py)."""

    __tablename__ = "listing_generation"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    value: Mapped[int] = mapped_column(BigInteger, default=0)
