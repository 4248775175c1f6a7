"""The home manager decides with what they need: the duties, the schedule asked for, the time share with the
participant's other current participations, and the total they agree to when it is above 20 %."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.applications import services
from portal.models import AuditEvent
from tests.portal.approvals.test_home_manager import decision_path
from tests.support import factories, statements
from workflows import Refused, clock


def _other(session, applicant, state: str = "confirmed", **fields):
    host = factories.user(session)
    opportunity = factories.open_opportunity(session, host, **fields)
    return factories.application(session, opportunity, applicant, state=state)


@pytest.fixture
def busy(session, applicant):
    """Ari already works 4 hours a week on another confirmed participation: with this one (4 hours) 21.3 %."""
    _other(session, applicant, title="Data cleaning sprint", commitment_amount=4)
    session.commit()


def test_the_page_shows_the_duties_schedule_share_and_guidance(web, selected, mailbox):
    web.post("/sign-out")

    page = web.get(decision_path(mailbox)).get_data(as_text=True)

    assert "Design and build a dashboard." in page and "<h2 id=\"duties\">" in page
    assert "Tuesdays" in page  # the availability Ari gave when applying
    assert "10.7 %" in page and "has no other current participations" in page
    assert "/help/for-managers" in page
    assert 'name="agree_total"' not in page


def test_other_current_participations_and_the_total_are_shown(web, selected, session, applicant, mailbox):
    _other(session, applicant, title="Data cleaning sprint", commitment_kind="percent", commitment_amount=5)
    _other(session, applicant, state="manager_approval", title="Survey design", commitment_amount=2)
    _other(session, applicant, title="Already over", end_date=clock.canberra_today() - timedelta(days=1))
    _other(session, applicant, state="withdrawn", title="Withdrawn one")
    session.commit()
    web.post("/sign-out")

    page = web.get(decision_path(mailbox)).get_data(as_text=True)

    assert "Data cleaning sprint" in page and "Survey design" in page and "Waiting for home manager" in page
    assert "Already over" not in page and "Withdrawn one" not in page
    assert "21 %" in page  # 4 h (10.7 %) + 5 % + 2 h (5.3 %)
    assert 'name="agree_total"' in page


def test_approving_above_20_percent_by_link_without_the_tick_is_refused_beside_it(web, selected, busy, session,
                                                                                   mailbox):
    path = decision_path(mailbox)
    web.post("/sign-out")
    web.get(path)

    refused = web.post(path, {"decision": "approve"})

    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "agree_total-error" in body and "21.3 %" in body
    session.refresh(selected)
    assert selected.state == "manager_approval"
    assert web.get(path).status_code == 200  # the link was not used up

    agreed = web.post(path, {"decision": "approve", "agree_total": "y"})

    assert agreed.status_code == 200 and "decision is recorded" in agreed.get_data(as_text=True)
    session.refresh(selected)
    assert selected.state == "confirmed"
    event = session.scalar(select(AuditEvent).where(AuditEvent.record_id == selected.id, AuditEvent.action == "approve"))
    assert event.data["total_agreed"] is True and event.data["total_share"] == pytest.approx(0.2133, abs=1e-3)


def test_approving_above_20_percent_in_the_portal_needs_the_tick_too(web, selected, busy, as_user, make_user, session):
    as_user(make_user(name="Hana Manager", email="hana.manager@dta.gov.au"))
    web.get(f"/applications/{selected.id}/decision")

    refused = web.post(f"/applications/{selected.id}/decision", {"decision": "approve"})
    assert refused.status_code == 422 and "Tick the box" in refused.get_data(as_text=True)

    agreed = web.post(f"/applications/{selected.id}/decision", {"decision": "approve", "agree_total": "y"})
    assert agreed.status_code == 302
    session.refresh(selected)
    assert selected.state == "confirmed"


def test_declining_needs_no_tick(web, selected, busy, session, mailbox):
    path = decision_path(mailbox)
    web.post("/sign-out")
    web.get(path)

    assert web.post(path, {"decision": "decline"}).status_code == 200
    session.refresh(selected)
    assert selected.state == "manager_declined"


def test_the_approve_action_itself_asks_the_rule(session, selected, busy):
    with pytest.raises(Refused) as refused:
        services.decide(session, selected, services.home_manager_actor(selected), approve=True, comment=None)
    assert refused.value.field == "agree_total" and refused.value.status == 422
    session.rollback()


def test_the_page_sends_the_same_statements_whatever_the_number_of_other_participations(web, selected, session,
                                                                                         applicant, mailbox):
    path = decision_path(mailbox)
    web.post("/sign-out")
    _other(session, applicant, commitment_amount=1)
    session.commit()
    with statements.recorded(this_thread_only=True) as one:
        assert web.get(path).status_code == 200
    for _ in range(3):
        _other(session, applicant, commitment_amount=1)
    session.commit()
    with statements.recorded(this_thread_only=True) as four:
        assert web.get(path).status_code == 200

    assert len(four) == len(one), four
