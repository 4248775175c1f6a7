"""CSV exports for administrators: one SELECT each, streamed through a server-side cursor in batches,
so a million-row export never sits in memory; every text cell is made safe to open in a spreadsheet.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Iterator

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from portal.models import Agency, Application, Opportunity, Skill, User
from portal.models.applications import STATES as APPLICATION_STATES
from portal.models.opportunities import (CLEARANCES, COMMITMENT_BANDS, COMMITMENT_KINDS, OPPORTUNITY_KINDS,
                                         STATES as OPPORTUNITY_STATES, WORK_MODES, opportunity_coowners,
                                         opportunity_skills)
from portal.models.users import agency_admins, user_skills
from portal.reports import queries
from portal.reports.queries import PARTICIPATING
from portal.reports.scope import Scope
from workflows.clock import CANBERRA

BATCH = 1000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet would run as a formula is prefixed with a quote (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.astimezone(CANBERRA).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    return spreadsheet_safe(str(value))


@dataclass(frozen=True)
class Column:
    heading: str
    expression: Any
    words: dict[str, str] | None = None  # stored code -> the words people use


Builder = Callable[[Scope], tuple[list[Column], Select]]


def _select(columns: list[Column]) -> Select:
    return select(*(column.expression for column in columns))


def joined_names(name, table, link, owner_id, owner) -> Any:
    """Names linked to one row of `owner`, alphabetical and joined by "; ", as a correlated subquery (no N+1).

    The names are ordered in an inner SELECT, which must be told to correlate with `owner` explicitly:
    automatic correlation only reaches the SELECT right around it, and would join every owner in instead.
    """
    names = (select(name.label("name")).select_from(table).join(link).where(owner_id)
             .order_by(name).correlate(owner).subquery())
    return select(func.aggregate_strings(names.c.name, "; ")).scalar_subquery()


def _count(*where) -> Any:
    return select(func.count(Application.id)).where(*where).scalar_subquery()


def _opportunity_skills():
    return joined_names(Skill.name, opportunity_skills, Skill,
                        opportunity_skills.c.opportunity_id == Opportunity.id, Opportunity)


def opportunities(scope: Scope) -> tuple[list[Column], Select]:
    owner, creator = aliased(User), aliased(User)
    for_opportunity = Application.opportunity_id == Opportunity.id
    columns = [
        Column("Opportunity ID", Opportunity.id), Column("Title", Opportunity.title),
        Column("State", Opportunity.state, OPPORTUNITY_STATES), Column("Kind", Opportunity.kind, OPPORTUNITY_KINDS),
        Column("Host agency", Agency.name), Column("Team", Opportunity.team),
        Column("Owner", owner.name), Column("Owner e-mail", owner.email),
        Column("Created by", creator.name), Column("Created by e-mail", creator.email),
        Column("Approving manager", Opportunity.approving_manager_name),
        Column("Approving manager e-mail", Opportunity.approving_manager_email),
        Column("Created", Opportunity.created_at), Column("Submitted", Opportunity.submitted_at),
        Column("Approved", Opportunity.approved_at), Column("Closed", Opportunity.closed_at),
        Column("Application deadline", Opportunity.deadline), Column("Start date", Opportunity.start_date),
        Column("End date", Opportunity.end_date), Column("Positions", Opportunity.positions),
        Column("Commitment amount", Opportunity.commitment_amount),
        Column("Commitment unit", Opportunity.commitment_kind, COMMITMENT_KINDS),
        Column("Commitment band", Opportunity.commitment_band, COMMITMENT_BANDS),
        Column("Work mode", Opportunity.work_mode, WORK_MODES), Column("City", Opportunity.location_city),
        Column("State or territory", Opportunity.location_state),
        Column("Security clearance", Opportunity.clearance, CLEARANCES),
        Column("Restricted to host agency", Opportunity.restricted_to_agency),
        Column("Skills", _opportunity_skills()), Column("Applications", _count(for_opportunity)),
        Column("Confirmed participants", _count(for_opportunity, Application.state.in_(PARTICIPATING))),
    ]
    return columns, (_select(columns).select_from(Opportunity)
                     .join(owner, owner.id == Opportunity.owner_id)
                     .join(creator, creator.id == Opportunity.creator_id)
                     .outerjoin(Agency, Agency.id == Opportunity.host_agency_id)
                     .where(scope.during(Opportunity.created_at), scope.agency(Opportunity.host_agency_id))
                     .order_by(Opportunity.id))


def applications(scope: Scope) -> tuple[list[Column], Select]:
    applicant, owner = aliased(User), aliased(User)
    home, host = aliased(Agency), aliased(Agency)
    columns = [
        Column("Application ID", Application.id), Column("State", Application.state, APPLICATION_STATES),
        Column("Applied", Application.created_at), Column("Decided by host", Application.decided_at),
        Column("Applicant", applicant.name), Column("Applicant e-mail", applicant.email),
        Column("Applicant job title", applicant.job_title), Column("Home agency", home.name),
        Column("Home manager", Application.home_manager_name),
        Column("Home manager e-mail", Application.home_manager_email),
        Column("Home manager asked", Application.manager_requested_at),
        Column("Home manager decided", Application.manager_decided_at),
        Column("Completed", Application.completed_at),
        Column("Opportunity ID", Opportunity.id), Column("Opportunity", Opportunity.title),
        Column("Opportunity state", Opportunity.state, OPPORTUNITY_STATES), Column("Host agency", host.name),
        Column("Owner", owner.name), Column("Owner e-mail", owner.email),
        Column("Start date", Opportunity.start_date), Column("End date", Opportunity.end_date),
        Column("Commitment amount", Opportunity.commitment_amount),
        Column("Commitment unit", Opportunity.commitment_kind, COMMITMENT_KINDS),
        Column("Security clearance", Opportunity.clearance, CLEARANCES),
        Column("Skills asked for", _opportunity_skills()),
        Column("Applicant skills", joined_names(Skill.name, user_skills, Skill, user_skills.c.user_id == applicant.id, applicant)),
    ]
    return columns, (_select(columns).select_from(Application)
                     .join(Opportunity, Opportunity.id == Application.opportunity_id)
                     .join(applicant, applicant.id == Application.applicant_id)
                     .join(owner, owner.id == Opportunity.owner_id)
                     .outerjoin(home, home.id == applicant.agency_id)
                     .outerjoin(host, host.id == Opportunity.host_agency_id)
                     .where(scope.during(Application.created_at),
                            scope.agency(applicant.agency_id, Opportunity.host_agency_id))
                     .order_by(Application.id))


def people(scope: Scope) -> tuple[list[Column], Select]:
    """Everyone in the agencies (a register, so the dates do not apply), with what they have done."""
    coowned = (select(opportunity_coowners.c.opportunity_id).where(opportunity_coowners.c.user_id == User.id)
               .correlate(User))
    owned = (select(func.count(Opportunity.id))
             .where((Opportunity.owner_id == User.id) | Opportunity.id.in_(coowned)).scalar_subquery())
    mine = Application.applicant_id == User.id
    columns = [
        Column("Person ID", User.id), Column("Name", User.name), Column("E-mail", User.email),
        Column("Agency", Agency.name), Column("Job title", User.job_title), Column("Location", User.location),
        Column("Contractor", User.is_contractor), Column("Verified", User.verified_at.is_not(None)),
        Column("Site admin", User.is_site_admin),
        Column("Agency admin of", joined_names(Agency.name, agency_admins, Agency,
                                               agency_admins.c.user_id == User.id, User)),
        Column("Disabled", User.disabled_at), Column("Registered", User.created_at),
        Column("Last signed in", User.last_login_at), Column("Supervisor", User.supervisor_name),
        Column("Supervisor e-mail", User.supervisor_email),
        Column("Skills", joined_names(Skill.name, user_skills, Skill, user_skills.c.user_id == User.id, User)),
        Column("Applications", _count(mine)),
        Column("Participations", _count(mine, Application.state.in_(PARTICIPATING))),
        Column("Opportunities owned", owned),
    ]
    return columns, (_select(columns).select_from(User).outerjoin(Agency, Agency.id == User.agency_id)
                     .where(scope.agency(User.agency_id)).order_by(User.id))


def feedback(scope: Scope) -> tuple[list[Column], Select]:
    """The dashboard's feedback figures, groups of fewer than five left out by the same query."""
    statement = queries.feedback_groups(scope)
    c = statement.selected_columns
    columns = [Column("Host agency", c.host_agency), Column("Opportunity type", c.kind, OPPORTUNITY_KINDS),
               Column("Feedback from", c.author_role, queries.FEEDBACK_FROM), Column("Ratings", c.given),
               Column("Average rating (out of 5)", c.average)]
    return columns, statement


EXPORTS: dict[str, Builder] = {"opportunities": opportunities, "applications": applications, "people": people,
                               "feedback": feedback}


def csv_chunks(session: Session, build: Builder, scope: Scope) -> Iterator[str]:
    """Header, then one chunk of CSV per batch of rows read from a server-side cursor."""
    columns, statement = build(scope)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.heading for column in columns])
    yield "\ufeff" + buffer.getvalue()  # the byte-order mark tells Excel the file is UTF-8
    words = [column.words or {} for column in columns]
    result = session.execute(statement.execution_options(yield_per=BATCH, stream_results=True))
    try:
        for rows in result.partitions():
            buffer.seek(0)
            buffer.truncate()
            writer.writerows([[cell(names.get(value, value) if isinstance(value, str) else value)
                               for names, value in zip(words, row)] for row in rows])
            yield buffer.getvalue()
    finally:
        result.close()
