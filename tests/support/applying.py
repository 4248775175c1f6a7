"""The journey every applications, approvals and participation test starts from: an opportunity to apply to,
applying through the form, selecting, running sweeps the way beat does, and waiting for background work on the
real-worker backend. Each of those test folders' conftest.py offers these fixtures."""
from __future__ import annotations

import re
import time
from typing import Callable, TypeVar

import pytest

from portal.extensions import db as database
from portal.sweeps import load_all
from tests.conftest import sign_in
from tests.support import factories
from tests.support.smtp import text_of

T = TypeVar("T")
LINK = re.compile(r"http://127\.0\.0\.1:\d+(/[\w/.\-]+)")


def eventually(probe: Callable[[], T], timeout: float = 20.0) -> T:
    """Background work lands after commit (at once on SQLite, via the worker on PostgreSQL)."""
    deadline = time.monotonic() + timeout
    while True:
        database.session.rollback()
        found = probe()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def link_in(message, path_start: str) -> str:
    return next(m.group(1) for m in LINK.finditer(text_of(message)) if m.group(1).startswith(path_start))


def apply_form(**overrides) -> dict:
    return {"statement": "I have built three dashboards for the ATO and love data.",
            "relevant_skills": "Power BI, SQL", "availability": "Tuesdays",
            "home_manager_name": "Hana Manager", "home_manager_email": "hana.manager@dta.gov.au", **overrides}


@pytest.fixture
def owner(make_user):
    return make_user(name="Olive Owner", email="olive.owner@dta.gov.au")


@pytest.fixture
def opening(session, owner):
    found = factories.open_opportunity(session, owner)
    session.commit()
    return found


@pytest.fixture
def applicant(make_user):
    return make_user(name="Ari Applicant", email="ari.applicant@ato.gov.au",
                     supervisor=("Hana Manager", "hana.manager@dta.gov.au"))


@pytest.fixture
def applied(web, applicant, opening, session):
    """Ari has applied to Olive's opportunity; returns the stored application."""
    from portal.models import Application

    sign_in(web, applicant)
    response = web.submit(f"/opportunities/{opening.id}/apply", apply_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    web.post("/sign-out")
    return session.query(Application).filter_by(applicant_id=applicant.id).one()


@pytest.fixture
def as_user(web):
    """Switch the browser to another person."""
    def switch(user):
        web.post("/sign-out")
        sign_in(web, user)
        return user
    return switch


@pytest.fixture
def selected(applied, as_user, owner, web, session):
    """Olive has selected Ari: the application waits on the home manager."""
    as_user(owner)
    web.get(f"/opportunities/{applied.opportunity_id}/applicants")
    response = web.post(f"/applications/{applied.id}/select")
    assert response.status_code == 302, response.get_data(as_text=True)
    session.refresh(applied)
    assert applied.state == "manager_approval"
    return applied


@pytest.fixture
def run_sweep(app):
    def run(name: str, dry_run: bool = False) -> list[str]:
        settings = app.config["SETTINGS"]
        with app.test_request_context("/", base_url=settings.portal_base_url):
            with database.transaction() as session:
                return load_all()[name](session, dry_run)
    return run
