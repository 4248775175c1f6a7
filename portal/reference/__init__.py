"""Reference data shipped with the portal: APS agencies, their e-mail domains and the Digital Profession skills."""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Agency, EmailDomain, Skill

HERE = Path(__file__).resolve().parent


def _rows(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(session: Session) -> tuple[int, int]:
    """Insert agencies and skills that are not there yet (by name); returns how many were added."""
    known_agencies = set(session.scalars(select(Agency.name)))
    known_skills = set(session.scalars(select(Skill.name)))
    agency_rows = _rows("agencies.csv")
    agencies = [Agency(name=r["name"], abbreviation=r["abbreviation"] or None, portfolio=r.get("portfolio") or None)
                for r in agency_rows if r["name"] not in known_agencies]
    skills = [Skill(name=r["skill"], family=r["family"]) for r in _rows("skills.csv") if r["skill"] not in known_skills]
    session.add_all(agencies + skills)
    session.flush()
    _load_domains(session, {r["abbreviation"]: r["name"] for r in agency_rows})
    return len(agencies), len(skills)


def _load_domains(session: Session, names: dict[str, str]) -> None:
    """Add the shipped domains nobody has recorded yet; one a site admin moved or retired is left as they left it."""
    known = set(session.scalars(select(EmailDomain.domain)))
    by_name = {a.name: a for a in session.scalars(select(Agency).where(Agency.name.in_(names.values())))}
    for row in _rows("agency_domains.csv"):
        agency = by_name.get(names[row["agency"]])
        if row["domain"] in known or agency is None or not agency.active:
            continue
        session.add(EmailDomain(domain=row["domain"], contractors_only=row["contractors_only"] == "yes",
                                agencies=[agency]))
        known.add(row["domain"])
    session.flush()
