"""People, their agencies and skills."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from portal.models.base import Base, Timestamps, ids_in
from workflows import clock

# The APS classifications, lowest first, as a person states theirs on their profile (the mobility plan prints it).
APS_CLASSIFICATIONS = {"aps1": "APS 1", "aps2": "APS 2", "aps3": "APS 3", "aps4": "APS 4", "aps5": "APS 5",
                       "aps6": "APS 6", "el1": "EL 1", "el2": "EL 2", "ses": "SES"}
# Australian Government security clearances, lowest first: an opportunity asks for one, a person holds one.
CLEARANCES = {"none": "None", "baseline": "Baseline", "nv1": "NV1", "nv2": "NV2", "pv": "PV"}


def clearances_met_by(held: str | None) -> tuple[str, ...]:
    """The clearance levels an opportunity may ask for that a person holding `held` meets: theirs and every lower
    one (an NV1 holder meets a Baseline requirement). The one rule search and profiles ask."""
    order = list(CLEARANCES)
    return tuple(order[:order.index(held) + 1]) if held in CLEARANCES else ("none",)


class Agency(Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    abbreviation: Mapped[str | None] = mapped_column(String(30))
    portfolio: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))

    def __str__(self) -> str:
        return self.name


class Skill(Base):
    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    family: Mapped[str] = mapped_column(String(80))
    retired: Mapped[bool] = mapped_column(default=False)

    def __str__(self) -> str:
        return self.name


user_skills = Table(
    "user_skills", Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id"), primary_key=True),
)

agency_admins = Table(
    "agency_admins", Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agencies.id"), primary_key=True),
)


class User(UserMixin, Timestamps, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))  # None: signs in through an agency's provider
    verified_at: Mapped[datetime | None]
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    job_title: Mapped[str | None] = mapped_column(String(120))
    location: Mapped[str | None] = mapped_column(String(120))
    is_contractor: Mapped[bool] = mapped_column(default=False)
    supervisor_name: Mapped[str | None] = mapped_column(String(120))
    supervisor_email: Mapped[str | None] = mapped_column(String(254))
    bio: Mapped[str | None] = mapped_column(Text)
    # What the person says they are and hold; the host checks a clearance before the work starts.
    aps_classification: Mapped[str | None] = mapped_column(String(8))
    clearance: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    is_site_admin: Mapped[bool] = mapped_column(default=False)
    disabled_at: Mapped[datetime | None]
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    email_bounced_at: Mapped[datetime | None]
    session_version: Mapped[int] = mapped_column(default=1)
    # Opted in to the daily "matches your skills" alert (None: not opted in); opportunities approved after
    # this are new to them. Set when they opt in, moved on each time an alert e-mail is queued.
    skill_alerts_since: Mapped[datetime | None]
    # Closed by the person themselves (signed out, cannot sign in); the retention sweep later anonymises it.
    closed_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]

    agency: Mapped[Agency | None] = relationship(lazy="joined")
    skills: Mapped[list[Skill]] = relationship(secondary=user_skills, order_by=Skill.name)
    admin_of: Mapped[list[Agency]] = relationship(secondary=agency_admins)
    # The page header's figures, loaded with the signed-in user in the same statement (see
    # portal.accounts.signed_in_user); None whenever the user was loaded any other way.
    unread_notices: Mapped[int | None] = query_expression()
    open_announcements: Mapped[int | None] = query_expression()
    # The listing generation when this request began, read by the same statement (portal.listing).
    listing_generation: Mapped[int | None] = query_expression()
    # The ids of the agencies they administer, comma-separated ("" for none), read by the same statement.
    administered_agency_list: Mapped[str | None] = query_expression()

    @property
    def administered_agency_ids(self) -> frozenset[int]:
        """The agencies this person administers: from the signed-in person's statement when it read them (no
        statement of its own on every page), from `admin_of` otherwise."""
        listed = self.administered_agency_list
        if listed is not None:
            return ids_in(listed)
        return frozenset(agency.id for agency in self.admin_of)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_active(self) -> bool:  # flask-login: disabled people cannot stay signed in
        return self.disabled_at is None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name else ""

    def administers(self, agency_id: int | None) -> bool:
        return self.is_site_admin or any(a.id == agency_id for a in self.admin_of)


class AllowedDomain(Base):
    """E-mail domains people may register with (a domain covers its subdomains); managed by site admins.
    While the table is empty, ALLOWED_EMAIL_DOMAINS from the environment applies."""

    __tablename__ = "allowed_domains"

    domain: Mapped[str] = mapped_column(String(120), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)


email_domain_agencies = Table(
    "email_domain_agencies", Base.metadata,
    Column("domain", ForeignKey("email_domains.domain", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agencies.id"), primary_key=True),
)


class EmailDomain(Base):
    """An e-mail domain and the agencies that own it: the verified fact a person's agency comes from.
    Several agencies share a shared-services domain; none own an extra domain a site admin allows on its own.
    A retired domain admits nobody new. See portal.accounts.domains."""

    __tablename__ = "email_domains"

    domain: Mapped[str] = mapped_column(String(120), primary_key=True)
    contractors_only: Mapped[bool] = mapped_column(default=False)
    retired_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)

    agencies: Mapped[list[Agency]] = relationship(secondary=email_domain_agencies, order_by=Agency.name,
                                                  lazy="selectin")
