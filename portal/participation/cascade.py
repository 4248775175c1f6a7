"""What an opportunity's applications and participations undergo when the opportunity itself moves, in the same
transaction (the fields of `portal.opportunities.cascade.Cascade`); the app factory hands CASCADE to the
opportunity services."""
from __future__ import annotations

from sqlalchemy.orm import Session

from portal.applications import services as applications
from portal.models import Application, User
from portal.opportunities.cascade import Cascade
from portal.participation import paperwork


def complete_participations(session: Session, done: list[Application], host: User,
                            early_finish_reason: str | None) -> None:
    """Each participation the host marked done gets its certificate and the feedback requests, under the same
    honest-dates guard as marking it complete on its own; the others stay confirmed."""
    for application in done:
        applications.complete(session, application, applications.actor_for(host, application), early_finish_reason)


CASCADE = Cascade(cancel_live_applications=applications.cancel_live_applications,
                  complete_participations=complete_participations,
                  reissue_arrangements=paperwork.reissue_arrangements)
