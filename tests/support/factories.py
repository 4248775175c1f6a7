"""Small factories that build exactly the rows a test needs."""
from __future__ import annotations

import itertools

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts.passwords import hash_password
from portal.models import Agency, Skill, User
from workflows import clock

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


def opportunity(session: Session, owner: User, **kw):
    """An open opportunity owned by `owner`, taking applications, closing in two weeks."""
    from datetime import timedelta

    from portal.models import Opportunity

    today = clock.canberra_today()
    fields = dict(
        state="open", title="Build a service dashboard", summary="Help us show how the service performs.",
        what_you_do="Design and build a dashboard.", kind="project", host_agency=owner.agency,
        team="Digital Delivery", work_mode="remote", commitment_kind="hours_per_week", commitment_amount=4,
        start_date=today + timedelta(days=30), end_date=today + timedelta(days=90),
        deadline=today + timedelta(days=14), positions=1, clearance="baseline", creator_id=owner.id,
        owner_id=owner.id, accepting_applications=True, approved_at=clock.utcnow())
    fields.update(kw)
    found = Opportunity(**fields)
    session.add(found)
    session.flush()
    return found
