"""Download my data (APP 12): a ZIP of everything held about the person, e-mailed as a one-time link that works
only for them, and not after 24 hours."""
from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import timedelta
from urllib.parse import urlsplit

from itsdangerous import TimestampSigner
from sqlalchemy import select

from portal.applications import cv
from portal.models import Acknowledgement, Application, Arrangement, AuditEvent, Certificate, DataExport
from tests.conftest import sign_in
from tests.support import factories
from tests.support.smtp import link_in
from tests.support.web import Web
from workflows import clock


def _participation(session, settings, person):
    owner = factories.user(session, name="Olive Owner")
    opportunity = factories.open_opportunity(session, owner, state="matched")
    application = Application(opportunity=opportunity, applicant=person, state="completed",
                              statement="I have built dashboards for three years.", home_manager_name="Hana Manager",
                              home_manager_email="hana.manager@dta.gov.au", cv_filename="cv.pdf",
                              cv_path=cv.store(settings, b"%PDF-1.4 my cv"), completed_at=clock.utcnow())
    session.add(application)
    session.flush()
    arrangement = Arrangement(application_id=application.id, reference="IA-2026-1", pdf=b"%PDF-1.4 arrangement")
    session.add(arrangement)
    session.flush()
    session.add(Acknowledgement(arrangement_id=arrangement.id, party="participant", name=person.name,
                                email=person.email))
    session.add(Certificate(application_id=application.id, reference="CC-2026-1", pdf=b"%PDF-1.4 certificate"))
    session.commit()
    return application


def _ask_for_data(web, mailbox, person):
    assert "Download your data" in web.get("/account/privacy/").get_data(as_text=True)
    response = web.post("/account/privacy/download")
    assert response.status_code == 302
    return urlsplit(link_in(mailbox.wait_for_to(person.email, "data is ready"), "/account/privacy/download/")).path


def test_a_person_downloads_a_zip_of_their_data_with_their_documents(web, make_user, session, settings, mailbox):
    person = make_user(name="Ari Applicant")
    application = _participation(session, settings, person)
    sign_in(web, person)

    link = _ask_for_data(web, mailbox, person)
    response = web.get(link)

    assert response.status_code == 200 and response.mimetype == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(response.data))
    profile = json.loads(bundle.read("profile.json"))
    records = json.loads(bundle.read("records.json"))
    assert profile["email"] == person.email and "password_hash" not in profile
    assert [a["statement"] for a in records["applications"]] == ["I have built dashboards for three years."]
    assert bundle.read(f"cvs/application-{application.id}.pdf") == b"%PDF-1.4 my cv"
    assert bundle.read("arrangements/IA-2026-1-v1.pdf") == b"%PDF-1.4 arrangement"
    assert bundle.read("certificates/CC-2026-1.pdf") == b"%PDF-1.4 certificate"
    assert any(e["action"] == "data_export_requested" for e in records["history"])


def test_the_download_link_works_once(web, make_user, mailbox, session):
    person = make_user()
    sign_in(web, person)
    link = _ask_for_data(web, mailbox, person)
    assert web.get(link).status_code == 200

    again = web.get(link)

    assert again.status_code == 410
    session.expire_all()
    assert session.scalar(select(DataExport.archive)) is None  # not kept once handed over


def test_someone_else_signed_in_cannot_use_the_link(web, app, make_user, mailbox):
    person, other = make_user(), make_user()
    sign_in(web, person)
    link = _ask_for_data(web, mailbox, person)
    stranger = Web(app.test_client())
    sign_in(stranger, other)

    assert stranger.get(link).status_code == 403  # sent to somebody else
    assert web.get(link).status_code == 200  # still unused: the stranger's try did not burn it


def test_the_link_does_not_work_after_24_hours(web, make_user, mailbox, monkeypatch):
    person = make_user()
    sign_in(web, person)
    link = _ask_for_data(web, mailbox, person)
    later = int(time.time()) + 24 * 3600 + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    sign_in(web, person)  # a day later: signed in afresh

    assert web.get(link).status_code == 410


def test_an_archive_not_downloaded_is_dropped_by_the_retention_sweep_after_24_hours(web, make_user, mailbox,
                                                                                   session):
    from portal.privacy.retention import anonymise_expired

    person = make_user()
    sign_in(web, person)
    _ask_for_data(web, mailbox, person)

    with clock.moved_by(timedelta(hours=25)):
        anonymise_expired(session, False)
        session.commit()

    assert session.scalar(select(DataExport.archive)) is None
    assert session.scalar(select(AuditEvent.action).where(AuditEvent.action == "data_export_requested"))
