"""Small factories that build exactly the rows a test needs: every record, in every state, without driving
HTTP, SMTP or the worker (rule tests build rows here; browser and e-mail tests drive the real thing).

People by role: `user` (an employee), `contractor`, `agency_admin`, `site_admin`, `user(verified=False)`.
Records by state: `opportunity(state=…)`, `application(state=…)`, `arrangement(acknowledged=…)`,
`certificate`, `saved_search`, `saved_opportunity`, `question(state=…)`."""
from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.passwords import hash_password
from portal.models import (Acknowledgement, Agency, Application, Arrangement, Certificate, SavedOpportunity,
                           SavedSearch, Skill, User)
from workflows import clock

if TYPE_CHECKING:
    from portal.models import Opportunity, Question

PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD)
_counter = itertools.count(1)


def agency(session: Session, abbreviation: str = "DTA") -> Agency:
    found = session.scalar(select(Agency).where(Agency.abbreviation == abbreviation))
    return found or session.scalars(select(Agency).order_by(Agency.id)).first()


def skills(session: Session, *names: str) -> list[Skill]:
    if not names:
        return list(session.scalars(select(Skill).order_by(Skill.id).limit(3)))
    return list(session.scalars(select(Skill).where(Skill.name.in_(names))))


def user(session: Session, *, name: str | None = None, email: str | None = None, verified: bool = True,
         agency_abbreviation: str = "DTA", contractor: bool = False, site_admin: bool = False,
         admin_of: list[Agency] | None = None, supervisor: tuple[str, str] | None = None) -> User:
    n = next(_counter)
    person = User(
        name=name or f"Person {n} Example", email=(email or f"person{n}@example.gov.au").lower(),
        password_hash=_HASH, verified_at=clock.utcnow() if verified else None,
        agency=agency(session, agency_abbreviation), is_contractor=contractor, is_site_admin=site_admin,
        supervisor_name=(supervisor or (f"Manager {n}", f"manager{n}@example.gov.au"))[0],
        supervisor_email=(supervisor or (f"Manager {n}", f"manager{n}@example.gov.au"))[1],
        job_title="APS6 Business Analyst", location="Canberra ACT",
    )
    if admin_of:
        person.admin_of = admin_of
    session.add(person)
    session.flush()
    return person


def contractor(session: Session, **fields) -> User:
    return user(session, contractor=True, **fields)


def agency_admin(session: Session, abbreviation: str = "DTA", **fields) -> User:
    """An admin of the agency `abbreviation` (and a member of it unless told otherwise)."""
    fields.setdefault("agency_abbreviation", abbreviation)
    return user(session, admin_of=[agency(session, abbreviation)], **fields)


def site_admin(session: Session, **fields) -> User:
    return user(session, site_admin=True, **fields)


def opportunity(session: Session, owner: User, *, state: str = "draft", **fields):
    """A complete opportunity (ready to submit) owned by `owner`, in `state`, with search text filled in."""
    from datetime import timedelta

    from portal.models import Opportunity
    from portal.opportunities.services import refresh_derived

    today = clock.canberra_today()
    values = dict(title="User researcher for a grants service", summary="Help us understand applicants.",
                  what_you_do="Interview **applicants** and synthesise findings.", what_you_gain="Research practice.",
                  about_team="A small multidisciplinary team.", kind="project", work_mode="remote",
                  commitment_kind="hours_per_week", commitment_amount=4, start_date=today + timedelta(days=30),
                  end_date=today + timedelta(days=90), deadline=today + timedelta(days=20), positions=2,
                  clearance="none", approving_manager_name="Morgan Manager",
                  approving_manager_email="morgan.manager@example.gov.au")
    values.update(fields)
    skill_list = values.pop("skills", None)
    record = Opportunity(state=state, creator=values.pop("creator", owner), owner=owner,
                         host_agency=values.pop("host_agency", None)
                         or owner.agency, **values)
    record.skills = skill_list if skill_list is not None else skills(session)[:2]
    if state not in ("draft",):
        record.submitted_at = clock.utcnow()
    if state in ("open", "matched", "completed", "expired"):
        record.approved_at = clock.utcnow()
    if state in ("matched", "completed", "expired", "cancelled", "rejected"):
        record.closed_at = clock.utcnow()
    refresh_derived(record, record.host_agency)
    session.add(record)
    session.flush()
    return record


def open_opportunity(session: Session, owner: User, **fields):
    """An open opportunity taking applications: one position, closing in two weeks (the applications tests)."""
    from datetime import timedelta

    defaults = dict(state="open", title="Build a service dashboard", summary="Help us show how the service performs.",
                    what_you_do="Design and build a dashboard.", team="Digital Delivery", positions=1,
                    clearance="baseline", deadline=clock.canberra_today() + timedelta(days=14),
                    accepting_applications=True)
    defaults.update(fields)
    return opportunity(session, owner, **defaults)


def report_opportunity(session: Session, owner: User, **kwargs) -> "Opportunity":
    """An opportunity hosted by the owner's agency unless `host_agency` is given (reports tests)."""
    from portal.models import Opportunity

    values = dict(title=f"Opportunity {next(_counter)}", state="open", creator_id=owner.id, owner_id=owner.id,
                  host_agency_id=owner.agency_id, positions=1)
    host = kwargs.pop("host_agency", None)
    if host is not None:
        values["host_agency_id"] = host.id
    values.update(kwargs)
    found = Opportunity(**values)
    session.add(found)
    session.flush()
    return found


def report_application(session: Session, opportunity, applicant: User, **kwargs) -> "Application":
    from portal.models import Application

    values = dict(opportunity_id=opportunity.id, applicant_id=applicant.id, state="applied",
                  statement="I would like to help.", home_manager_name=applicant.supervisor_name or "Manager",
                  home_manager_email=applicant.supervisor_email or "manager@example.gov.au")
    values.update(kwargs)
    found = Application(**values)
    session.add(found)
    session.flush()
    return found


def report_event(session: Session, record, to_state: str, at, from_state: str | None = None,
                 action: str = "move") -> None:
    """An audit row as portal.transitions.apply writes it, at a chosen time (reports tests)."""
    from portal.models import Application, AuditEvent

    record_type = "application" if isinstance(record, Application) else "opportunity"
    session.add(AuditEvent(record_type=record_type, record_id=record.id, action=action, from_state=from_state,
                           to_state=to_state, created_at=at))
    session.flush()


# What a transition into each application state stamps, so a row built here reads as one that got there.
_APPLICATION_STAMPS = {
    "manager_approval": ("manager_requested_at",),
    "confirmed": ("manager_requested_at", "manager_decided_at"),
    "completed": ("manager_requested_at", "manager_decided_at", "completed_at"),
    "manager_declined": ("manager_requested_at", "manager_decided_at"),
    "lapsed": ("manager_requested_at",),
    "not_selected": ("decided_at",),
}


def application(session: Session, opportunity: "Opportunity", applicant: User | None = None, *,
                state: str = "applied", **fields) -> Application:
    """`applicant` (a new employee when not given) applied to `opportunity`, and it is now in `state`."""
    applicant = applicant or user(session)
    values = dict(statement="I would like to help.", home_manager_name=applicant.supervisor_name or "Manager",
                  home_manager_email=(applicant.supervisor_email or "manager@example.gov.au").lower())
    values.update({stamp: clock.utcnow() for stamp in _APPLICATION_STAMPS.get(state, ())})
    values.update(fields)
    record = Application(opportunity=opportunity, applicant=applicant, state=state, version=1, **values)
    session.add(record)
    session.flush()
    return record


def arrangement(session: Session, application: Application, *, version: int = 1,
                acknowledged: tuple[str, ...] = (), **fields) -> Arrangement:
    """One version of the arrangement with its three parties; those in `acknowledged` have acknowledged it."""
    opportunity = application.opportunity
    values = dict(reference=f"IA-{opportunity.id:05d}-{application.id:06d}", start_date=opportunity.start_date,
                  end_date=opportunity.end_date)
    values.update(fields)
    record = Arrangement(application=application, version=version, **values)
    parties = [("participant", application.applicant.name, application.applicant.email),
               ("home_manager", application.home_manager_name, application.home_manager_email),
               ("host_manager", opportunity.owner.name, opportunity.owner.email)]
    record.acknowledgements = [
        Acknowledgement(party=party, name=name, email=email.lower(),
                        acknowledged_at=clock.utcnow() if party in acknowledged else None)
        for party, name, email in parties]
    session.add(record)
    session.flush()
    return record


def certificate(session: Session, application: Application) -> Certificate:
    record = Certificate(application_id=application.id,
                         reference=f"CC-{application.opportunity_id:05d}-{application.id:06d}")
    session.add(record)
    session.flush()
    return record


def saved_search(session: Session, owner: User, query: str = "", *, name: str | None = None,
                 alert: bool = False) -> SavedSearch:
    """A saved search of the browse page's canonical query string (see search.Filters.query_string)."""
    record = SavedSearch(user_id=owner.id, name=name or f"Search {next(_counter)}", query=query, alert=alert)
    session.add(record)
    session.flush()
    return record


def saved_opportunity(session: Session, owner: User, opportunity: "Opportunity") -> SavedOpportunity:
    record = SavedOpportunity(user_id=owner.id, opportunity_id=opportunity.id)
    session.add(record)
    session.flush()
    return record


def ended(opportunity: "Opportunity", *, days_ago: int = 1) -> "Opportunity":
    """Move the opportunity's work into the past (started 30 days before it ended), so it may be marked complete."""
    from datetime import timedelta

    today = clock.canberra_today()
    opportunity.start_date = today - timedelta(days=30 + days_ago)
    opportunity.end_date = today - timedelta(days=days_ago)
    return opportunity


def question(session: Session, opportunity: "Opportunity", asker: User | None = None, *, state: str = "open",
             body: str = "Can the work be done part-time?", answer: str | None = None) -> "Question":
    """`asker` (a new employee when not given) asked about `opportunity`; now `state` (open, answered, hidden)."""
    from portal.models import Question

    record = Question(opportunity=opportunity, asker=asker or user(session), body=body, state=state, version=1)
    if state == "answered" or answer is not None:
        record.answer = answer or "Yes: two days a week suits us."
        record.answered_by_id, record.answered_at = opportunity.owner_id, clock.utcnow()
    session.add(record)
    session.flush()
    return record
