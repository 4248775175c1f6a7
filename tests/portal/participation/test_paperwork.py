"""The informal arrangement: rendered, e-mailed to the three parties, acknowledged, versioned, guarded;
and completion with its certificate."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import select

from portal.participation import documents, paperwork
from portal.extensions import db as database
from portal.models import Acknowledgement, Arrangement, Certificate
from tests.support.applying import eventually, link_in
from tests.support import factories

PARTIES = ("ari.applicant@ato.gov.au", "hana.manager@dta.gov.au", "olive.owner@dta.gov.au")


def attachment(message, mime: str) -> bytes:
    return next(part.get_content() for part in message.iter_attachments() if part.get_content_type() == mime)


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


@pytest.fixture
def confirmed(web, selected, mailbox, session):
    path = link_in(mailbox.wait_for_to("hana.manager@dta.gov.au", "Please approve"), "/applications/decision/")
    web.get(path)
    web.post(path, {"decision": "approve"})
    session.refresh(selected)
    assert selected.state == "confirmed"
    return selected


def test_arrangement_pdf_reaches_all_three_parties_with_their_names(confirmed, mailbox):
    for address in PARTIES:
        message = mailbox.wait_for_to(address, "Informal arrangement")
        text = pdf_text(attachment(message, "application/pdf"))
        assert "Ari Applicant" in text and "Hana Manager" in text and "Olive Owner" in text
        assert "stays on the home agency's payroll" in text and "Code of Conduct" in text


def test_arrangement_email_carries_a_calendar_entry_for_the_start_date(confirmed, mailbox, opening):
    message = mailbox.wait_for_to("ari.applicant@ato.gov.au", "Informal arrangement")

    event = Calendar.from_ical(attachment(message, "text/calendar")).walk("VEVENT")[0]

    assert event.decoded("dtstart") == opening.start_date


def test_arrangement_is_stored_with_three_acknowledgements(confirmed):
    arrangement = eventually(lambda: database.session.scalar(select(Arrangement)))

    assert arrangement.version == 1 and arrangement.pdf.startswith(b"%PDF-")
    assert sorted(a.party for a in arrangement.acknowledgements) == ["home_manager", "host_manager", "participant"]


def test_acknowledging_by_link_records_the_time_shown_on_the_document_page(web, confirmed, mailbox, session,
                                                                          as_user, applicant):
    path = link_in(mailbox.wait_for_to("hana.manager@dta.gov.au", "Informal arrangement"), "/arrangements/acknowledge/")
    web.get(path)

    response = web.post(path)

    assert response.status_code == 200 and "acknowledged" in response.get_data(as_text=True)
    ack = session.scalar(select(Acknowledgement).where(Acknowledgement.party == "home_manager"))
    assert ack.acknowledged_at is not None
    as_user(applicant)
    page = web.get(f"/arrangements/{ack.arrangement_id}").get_data(as_text=True)
    assert page.count("Not yet") == 2
    assert web.get(path).status_code == 410


def test_arrangement_downloads_for_the_parties_and_nobody_else(web, confirmed, as_user, applicant, owner,
                                                               make_user):
    arrangement = eventually(lambda: database.session.scalar(select(Arrangement)))
    url = f"/arrangements/{arrangement.id}/pdf"

    as_user(applicant)
    participant = web.get(url)
    as_user(owner)
    host = web.get(url)
    as_user(make_user(name="Hana Manager", email="hana.manager@dta.gov.au"))
    home_manager = web.get(url)
    as_user(make_user())
    stranger = web.get(url)

    assert [participant.status_code, host.status_code, home_manager.status_code] == [200, 200, 200]
    assert participant.data.startswith(b"%PDF-")
    assert stranger.status_code == 404


def test_changed_dates_make_version_two_and_send_it_again(confirmed, session, opening, mailbox, app):
    eventually(lambda: database.session.scalar(select(Arrangement)))
    opening = session.merge(opening)
    opening.start_date += timedelta(days=7)
    paperwork.reissue_arrangements(session, opening)
    session.commit()

    second = eventually(lambda: database.session.scalar(select(Arrangement).where(Arrangement.version == 2)))

    assert second is not None and second.start_date == opening.start_date
    assert mailbox.wait_for_to("olive.owner@dta.gov.au", "(version 2)")


def test_marking_complete_sends_the_participant_a_certificate(web, confirmed, as_user, owner, session, mailbox):
    factories.ended(confirmed.opportunity)
    session.commit()
    as_user(owner)
    web.get(f"/opportunities/{confirmed.opportunity_id}/applicants")

    response = web.post(f"/applications/{confirmed.id}/complete")

    assert response.status_code == 302
    session.refresh(confirmed)
    assert confirmed.state == "completed"
    message = mailbox.wait_for_to("ari.applicant@ato.gov.au", "Your certificate")
    assert "Ari Applicant" in pdf_text(attachment(message, "application/pdf"))


def test_certificate_downloads_for_the_participant_and_not_for_others(web, confirmed, as_user, owner, applicant,
                                                                     make_user, session):
    factories.ended(confirmed.opportunity)
    session.commit()
    as_user(owner)
    web.get(f"/opportunities/{confirmed.opportunity_id}/applicants")
    web.post(f"/applications/{confirmed.id}/complete")
    eventually(lambda: database.session.scalar(select(Certificate)))

    as_user(applicant)
    mine = web.get(f"/applications/{confirmed.id}/certificate")
    as_user(make_user())
    stranger = web.get(f"/applications/{confirmed.id}/certificate")

    assert mine.status_code == 200 and mine.data.startswith(b"%PDF-")
    assert stranger.status_code == 404
