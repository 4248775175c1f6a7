"""Applying: who may, what the form checks, the CV rules, withdrawing."""
from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from portal.models import Application, AuditEvent
from tests.support.applying import apply_form
from tests.support import factories
from tests.support.pdfs import pdf_with_text
from workflows import clock


def a_pdf(text: str = "Curriculum vitae of Ari Applicant") -> bytes:
    return pdf_with_text(text)


def test_employee_applies_and_applicant_and_owner_are_emailed(web, signed_in, applicant, opening, session, mailbox):
    signed_in(applicant)

    response = web.submit(f"/opportunities/{opening.id}/apply", apply_form())

    assert response.status_code == 302 and response.location.endswith("/applications")
    stored = session.scalar(select(Application).where(Application.applicant_id == applicant.id))
    assert stored.state == "applied" and stored.home_manager_email == "hana.manager@dta.gov.au"
    assert session.scalar(select(AuditEvent.to_state).where(AuditEvent.record_type == "application")) == "applied"
    assert "Build a service dashboard" in mailbox.wait_for_to(applicant.email, "Your application")["Subject"]
    assert mailbox.wait_for_to("olive.owner@dta.gov.au", "New application")


def test_home_manager_is_prefilled_from_the_profile(web, signed_in, applicant, opening):
    signed_in(applicant)

    page = web.get(f"/opportunities/{opening.id}/apply").get_data(as_text=True)

    assert 'value="hana.manager@dta.gov.au"' in page and 'value="Hana Manager"' in page


def test_contractor_is_told_why_they_cannot_apply(web, signed_in, opening):
    signed_in(contractor=True)

    response = web.get(f"/opportunities/{opening.id}/apply")

    assert response.status_code == 403
    assert "Contractors cannot apply" in response.get_data(as_text=True)


def test_owner_cannot_apply_for_their_own_opportunity(web, signed_in, owner, opening):
    signed_in(owner)

    response = web.get(f"/opportunities/{opening.id}/apply")

    assert response.status_code == 403
    assert "opportunity you own" in response.get_data(as_text=True)


def test_nobody_applies_twice(web, signed_in, applicant, opening, session):
    signed_in(applicant)
    web.submit(f"/opportunities/{opening.id}/apply", apply_form())

    again = web.submit(f"/opportunities/{opening.id}/apply", apply_form())

    assert again.status_code == 409 and "already applied" in again.get_data(as_text=True)
    assert len(session.scalars(select(Application)).all()) == 1


def test_nobody_applies_after_the_closing_date(web, signed_in, applicant, owner, session):
    closed = factories.open_opportunity(session, owner, deadline=clock.canberra_today() - timedelta(days=1))
    session.commit()
    signed_in(applicant)

    response = web.submit(f"/opportunities/{closed.id}/apply", apply_form())

    assert response.status_code == 409 and "closing date" in response.get_data(as_text=True)
    assert session.scalar(select(Application.id)) is None


def test_nobody_applies_when_the_opportunity_is_not_accepting(web, signed_in, applicant, owner, session):
    paused = factories.open_opportunity(session, owner, accepting_applications=False)
    session.commit()
    signed_in(applicant)

    response = web.get(f"/opportunities/{paused.id}/apply")

    assert response.status_code == 409 and "not taking applications" in response.get_data(as_text=True)


def test_draft_opportunity_of_someone_else_is_not_found(web, signed_in, applicant, owner, session):
    draft = factories.open_opportunity(session, owner, state="draft")
    session.commit()
    signed_in(applicant)

    assert web.get(f"/opportunities/{draft.id}/apply").status_code == 404


def test_home_manager_cannot_be_the_applicant(web, signed_in, applicant, opening, session):
    signed_in(applicant)

    response = web.submit(f"/opportunities/{opening.id}/apply", apply_form(home_manager_email=applicant.email))

    assert response.status_code == 422
    assert "someone other than you" in response.get_data(as_text=True)
    assert session.scalar(select(Application.id)) is None


def test_home_manager_outside_the_allow_list_is_refused_next_to_the_field(web, signed_in, applicant, opening):
    signed_in(applicant)

    response = web.submit(f"/opportunities/{opening.id}/apply", apply_form(home_manager_email="boss@gmail.com"))

    assert response.status_code == 422
    assert 'id="home_manager_email-error"' in response.get_data(as_text=True)


def test_statement_is_required_and_limited_to_2000_characters(web, signed_in, applicant, opening):
    signed_in(applicant)

    response = web.submit(f"/opportunities/{opening.id}/apply", apply_form(statement="x" * 2001))

    assert response.status_code == 422
    assert "2,000 characters or fewer" in response.get_data(as_text=True)


def test_cv_is_judged_by_content_not_by_name(web, signed_in, applicant, opening, session):
    signed_in(applicant)

    response = web.submit(f"/opportunities/{opening.id}/apply",
                          apply_form(cv=(io.BytesIO(b"MZ\x90\x00 not a pdf"), "cv.pdf")),
                          content_type="multipart/form-data")

    assert response.status_code == 422 and "must be a PDF" in response.get_data(as_text=True)
    assert session.scalar(select(Application.id)) is None


def test_cv_larger_than_the_limit_is_refused(web, signed_in, applicant, opening, app):
    signed_in(applicant)
    too_big = a_pdf() + b"\n%" + b"x" * app.config["SETTINGS"].cv_max_bytes

    response = web.submit(f"/opportunities/{opening.id}/apply", apply_form(cv=(io.BytesIO(too_big), "cv.pdf")),
                          content_type="multipart/form-data")

    assert response.status_code == 422 and "5 MB or smaller" in response.get_data(as_text=True)


def test_cv_is_stored_outside_the_web_root_under_a_random_name(web, signed_in, applicant, opening, session, app):
    signed_in(applicant)

    web.submit(f"/opportunities/{opening.id}/apply", apply_form(cv=(io.BytesIO(a_pdf()), "Ari CV.pdf")),
               content_type="multipart/form-data")

    stored = session.scalar(select(Application))
    assert stored.cv_filename == "Ari_CV.pdf" and "Ari" not in stored.cv_path
    assert (app.config["SETTINGS"].upload_dir / "cv" / stored.cv_path).read_bytes().startswith(b"%PDF-")


def test_cv_downloads_for_applicant_and_owner_and_nobody_else(web, signed_in, applicant, owner, opening, session,
                                                              as_user, make_user):
    signed_in(applicant)
    web.submit(f"/opportunities/{opening.id}/apply", apply_form(cv=(io.BytesIO(a_pdf()), "cv.pdf")),
               content_type="multipart/form-data")
    stored = session.scalar(select(Application))
    url = f"/applications/{stored.id}/cv"

    mine = web.get(url)
    as_user(owner)
    hosts = web.get(url)
    as_user(make_user())
    stranger = web.get(url)

    assert mine.status_code == 200 and mine.data.startswith(b"%PDF-")
    assert hosts.status_code == 200
    assert stranger.status_code == 404


def test_withdrawing_tells_the_owner(web, applied, as_user, applicant, session, mailbox):
    as_user(applicant)

    response = web.submit(f"/applications/{applied.id}/withdraw", {"version": str(applied.version)})

    assert response.status_code == 302
    session.refresh(applied)
    assert applied.state == "withdrawn"
    assert mailbox.wait_for_to("olive.owner@dta.gov.au", "has withdrawn")


def test_someone_else_cannot_withdraw_an_application(web, applied, as_user, make_user, session):
    as_user(make_user())

    assert web.submit(f"/applications/{applied.id}/withdraw", {}).status_code == 404
    session.refresh(applied)
    assert applied.state == "applied"


def a_pdf_claiming_a_hundred_million_objects() -> bytes:
    """A real PDF whose cross-reference table says it holds 100,000,000 objects (pypdf's LimitReachedError)."""
    body = a_pdf()
    start = body.rindex(b"xref")
    return body[:start] + b"xref\n0 100000000\n0000000000 65535 f \ntrailer\n<< /Size 100000000 /Root 1 0 R >>\n" \
        + b"startxref\n" + str(start).encode() + b"\n%%EOF\n"


def test_cv_whose_cross_reference_table_claims_millions_of_objects_is_refused_not_a_500(
        web, signed_in, applicant, opening, session):
    signed_in(applicant)

    response = web.submit(f"/opportunities/{opening.id}/apply",
                          apply_form(cv=(io.BytesIO(a_pdf_claiming_a_hundred_million_objects()), "cv.pdf")),
                          content_type="multipart/form-data")

    assert response.status_code == 422 and "could not be opened as a PDF" in response.get_data(as_text=True)
    assert session.scalar(select(Application.id)) is None
