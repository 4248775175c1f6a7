"""A participant's load: this participation's share of the week, their other current participations (confirmed or
waiting for a home manager, not yet ended) and the total. The decision page shows it and the approval is checked
against it (workflows.participation_load), so both ask the same numbers: one query whatever the count."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, contains_eager

from portal.models import Application, Opportunity
from workflows import clock, participation_load

CURRENT = ("manager_approval", "confirmed")


def share(opportunity: Opportunity) -> float | None:
    return participation_load.share_of_week(opportunity.commitment_kind, opportunity.commitment_amount,
                                            opportunity.start_date, opportunity.end_date)


@dataclass(frozen=True)
class Other:
    application: Application
    share: float | None

    @property
    def share_words(self) -> str:
        return participation_load.percent(self.share)


@dataclass(frozen=True)
class Load:
    share: float | None
    others: list[Other]

    @property
    def total(self) -> float:
        return participation_load.total_share([self.share, *(o.share for o in self.others)])

    @property
    def needs_agreement(self) -> bool:
        return participation_load.needs_agreement(self.total)

    @property
    def share_words(self) -> str:
        return participation_load.percent(self.share)

    @property
    def total_words(self) -> str:
        return participation_load.percent(self.total)

    @property
    def limit_words(self) -> str:
        return participation_load.percent(participation_load.AGREEMENT_ABOVE)


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
