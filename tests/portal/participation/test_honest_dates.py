"""Honest dates: nothing is complete before it starts, an early finish says why, every date is Canberra's, and a
completed participation keeps its place on the opportunity."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.participation import documents
from portal.models import AuditEvent, Certificate
from tests.conftest import sign_in
from tests.support import factories
from workflows import clock


@pytest.fixture
def host(make_user):
    return make_user(name="Olive Owner", email="olive.owner@dta.gov.au")


@pytest.fixture
def confirmed(session, host):
    """Ari is confirmed on Olive's two-place opportunity, which starts in 30 days and ends in 90."""
    opportunity = factories.open_opportunity(session, host, positions=2)
    found = factories.application(session, opportunity, state="confirmed")
    session.commit()
    return found


def _days_after_start(application, days: int) -> timedelta:
    return timedelta(days=(application.opportunity.start_date - clock.canberra_today()).days + days)


def _completions(session, application) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.record_type == "application", AuditEvent.record_id == application.id,
        AuditEvent.action == "complete")))


def test_participation_cannot_be_marked_complete_before_it_starts(web, session, host, confirmed):
    sign_in(web, host)

    response = web.submit(f"/applications/{confirmed.id}/complete", {"early_finish_reason": "Done already"})

    assert response.status_code == 409
    assert "cannot be marked complete before it has started" in response.get_data(as_text=True)
    session.refresh(confirmed)
    assert confirmed.state == "confirmed" and confirmed.completed_at is None and not _completions(session, confirmed)


def test_applicants_page_offers_no_completion_before_the_start(web, host, confirmed):
    sign_in(web, host)

    page = web.get(f"/opportunities/{confirmed.opportunity_id}/applicants").get_data(as_text=True)

    assert "you can mark it complete once it has started" in page
    assert f'action="/applications/{confirmed.id}/complete"' not in page


def test_early_finish_without_a_reason_is_refused_beside_the_field(web, session, host, confirmed):
    sign_in(web, host)
    with clock.moved_by(_days_after_start(confirmed, 5)):
        response = web.submit(f"/applications/{confirmed.id}/complete", {"early_finish_reason": "  "})

    assert response.status_code == 422
    assert "say why it is finishing early" in response.get_data(as_text=True)
    session.refresh(confirmed)
    assert confirmed.state == "confirmed"


def test_early_finish_with_a_reason_is_stored_and_audited(web, session, host, confirmed):
    sign_in(web, host)
    with clock.moved_by(_days_after_start(confirmed, 5)):
        response = web.submit(f"/applications/{confirmed.id}/complete",
                              {"early_finish_reason": "The project was delivered ahead of time."})

    assert response.status_code == 302
    session.refresh(confirmed)
    assert confirmed.state == "completed"
    assert confirmed.early_finish_reason == "The project was delivered ahead of time."
    (event,) = _completions(session, confirmed)
    assert event.reason == "The project was delivered ahead of time."


def test_after_the_end_date_completion_needs_no_reason(web, session, host, confirmed):
    sign_in(web, host)
    after_end = timedelta(days=(confirmed.opportunity.end_date - clock.canberra_today()).days)
    with clock.moved_by(after_end):
        page = web.get(f"/opportunities/{confirmed.opportunity_id}/applicants").get_data(as_text=True)
        response = web.post(f"/applications/{confirmed.id}/complete")

    assert f'action="/applications/{confirmed.id}/complete"' in page
    assert response.status_code == 302
    session.refresh(confirmed)
    assert confirmed.state == "completed" and confirmed.early_finish_reason is None


def test_completing_the_opportunity_before_the_end_passes_the_reason_to_each_participation(
        web, session, host, confirmed):
    opportunity = confirmed.opportunity
    opportunity.state = "matched"
    session.commit()
    sign_in(web, host)
    with clock.moved_by(_days_after_start(confirmed, 1)):
        page = web.get(f"/opportunities/{opportunity.id}/complete").get_data(as_text=True)
        response = web.post(f"/opportunities/{opportunity.id}/complete",
                            {"version": str(opportunity.version), "completed": [str(confirmed.id)],
                             "early_finish_reason": "Funding ended."})

    assert "Why is the work finishing early?" in page
    assert response.status_code == 302
    session.refresh(confirmed)
    assert (confirmed.state, confirmed.early_finish_reason) == ("completed", "Funding ended.")


def test_certificate_prints_the_canberra_date_just_after_midnight(session, confirmed):
    canberra_half_past_midnight = datetime(2027, 3, 1, 0, 30, tzinfo=clock.CANBERRA)
    confirmed.completed_at = canberra_half_past_midnight.astimezone(timezone.utc)  # still 28 February in UTC
    certificate = Certificate(application_id=confirmed.id, reference="CC-1")

    text = "".join(page.extract_text() for page in
                   PdfReader(io.BytesIO(documents.certificate_pdf(confirmed, certificate))).pages)

    assert "Completed 1 March 2027" in text


def test_completion_date_is_the_canberra_day(session, host, confirmed):
    from portal.applications import services

    opportunity = confirmed.opportunity
    opportunity.start_date, opportunity.end_date = date(2027, 1, 4), date(2027, 2, 26)
    just_after_midnight = datetime(2027, 3, 1, 0, 5, tzinfo=clock.CANBERRA)
    with clock.frozen_at(just_after_midnight):
        services.complete(session, confirmed, services.actor_for(host, confirmed))

    assert clock.canberra_date(confirmed.completed_at) == date(2027, 3, 1)
    assert confirmed.completed_at.astimezone(timezone.utc).date() == date(2027, 2, 28)


def test_a_completed_participation_keeps_its_place_on_the_opportunity(web, session, host, confirmed):
    sign_in(web, host)
    before = web.get(f"/opportunities/{confirmed.opportunity_id}").get_data(as_text=True)
    after_end = timedelta(days=(confirmed.opportunity.end_date - clock.canberra_today()).days)
    with clock.moved_by(after_end):
        web.get(f"/opportunities/{confirmed.opportunity_id}/applicants")
        assert web.post(f"/applications/{confirmed.id}/complete").status_code == 302
        after = web.get(f"/opportunities/{confirmed.opportunity_id}").get_data(as_text=True)
        applicants = web.get(f"/opportunities/{confirmed.opportunity_id}/applicants").get_data(as_text=True)

    assert "1 of 2 positions open" in before
    assert "1 of 2 positions open" in after and "2 of 2 positions open" not in after
    assert "1 of 2 positions open" in applicants
