"""Reference data shipped with the portal: APS agencies and the Digital Profession skills."""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Agency, Skill

HERE = Path(__file__).resolve().parent


def _rows(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(session: Session) -> tuple[int, int]:
    """Insert agencies and skills that are not there yet (by name); returns how many were added."""
    known_agencies = set(session.scalars(select(Agency.name)))
    known_skills = set(session.scalars(select(Skill.name)))
    agencies = [Agency(name=r["name"], abbreviation=r["abbreviation"] or None,
                       email_domain=(r["email_domain"] or None), portfolio=r.get("portfolio") or None)
                for r in _rows("agencies.csv") if r["name"] not in known_agencies]
    skills = [Skill(name=r["skill"], family=r["family"]) for r in _rows("skills.csv") if r["skill"] not in known_skills]
    session.add_all(agencies + skills)
    session.flush()
    return len(agencies), len(skills)
