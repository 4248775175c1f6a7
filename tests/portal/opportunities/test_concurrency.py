"""Two approvals of one opportunity at the same moment: the row lock lets exactly one win."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Opportunity, User
from portal.opportunities import records, services
from tests.support import backends, factories
from workflows import TransitionRefused

pytestmark = pytest.mark.skipif(backends.BACKEND != "postgres",
                                reason="SQLite has no row locks: concurrent approvals are tested on PostgreSQL")


def test_two_simultaneous_approvals_one_wins_and_one_audit_event(app, session, make_user):
    admin = make_user(site_admin=True)
    opportunity = factories.opportunity(session, make_user(), state="approval")
    session.commit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve() -> None:
        with app.test_request_context("/"):
            own = db.new_session()
            try:
                barrier.wait(timeout=10)
                record = own.scalar(select(Opportunity).where(Opportunity.id == opportunity.id)
                                    .with_for_update(of=Opportunity))
                person = own.get(User, admin.id)
                services.decide(own, record, records.actor_for(person, record), "approve", None)
                own.commit()
                outcomes.append("won")
            except TransitionRefused:
                own.rollback()
                outcomes.append("refused")
            finally:
                own.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refused", "won"]
    assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "approve")) == 1
    session.expire_all()
    assert session.get(Opportunity, opportunity.id).state == "open"
