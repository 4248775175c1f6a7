"""A participant's load: this participation's share of the week, their other current participations (confirmed or
waiting for a home manager, not yet ended) and the total. The decision page shows it and the approval is checked
against it (the approve move's guard, workflows.time_share), so both ask the same numbers: one query whatever the
count."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, contains_eager

from portal.models import Application, Opportunity
from workflows import clock, time_share

CURRENT = ("manager_approval", "confirmed")


def share(opportunity: Opportunity) -> float | None:
    """The share of a 37.5-hour week, or None while the commitment is not stated (it then adds nothing)."""
    args = (opportunity.commitment_kind, opportunity.commitment_amount, opportunity.start_date, opportunity.end_date)
    return None if time_share.hours_a_week(*args) is None else time_share.share_of_week(*args)


def in_words(value: float | None) -> str:
    return "not stated" if value is None else time_share.as_percent(value)


@dataclass(frozen=True)
class Other:
    application: Application
    share: float | None

    @property
    def share_words(self) -> str:
        return in_words(self.share)


@dataclass(frozen=True)
class Load:
    share: float | None
    others: list[Other]

    @property
    def shares(self) -> list[float]:
        return [s for s in (self.share, *(o.share for o in self.others)) if s is not None]

    @property
    def total(self) -> float:
        return sum(self.shares)

    @property
    def needs_agreement(self) -> bool:
        return time_share.needs_agreement_to_total(self.shares)

    @property
    def share_words(self) -> str:
        return in_words(self.share)

    @property
    def total_words(self) -> str:
        return in_words(self.total)

    @property
    def limit_words(self) -> str:
        return in_words(time_share.TOTAL_SHARE_NEEDING_AGREEMENT)


def current_others(session: Session, application: Application) -> list[Other]:
    """The applicant's other participations going on now or waiting for a home manager, with their opportunity."""
    rows = session.scalars(
        select(Application).join(Application.opportunity).options(contains_eager(Application.opportunity))
        .where(Application.applicant_id == application.applicant_id, Application.id != application.id,
               Application.state.in_(CURRENT),
               or_(Opportunity.end_date.is_(None), Opportunity.end_date >= clock.canberra_today()))
        .order_by(Opportunity.start_date, Application.id))
    return [Other(other, share(other.opportunity)) for other in rows]


def load_of(session: Session, application: Application) -> Load:
    return Load(share(application.opportunity), current_others(session, application))
