"""E-mails to managers without an account link only to pages they can open: every link in the request, the
reminder and the arrangement to a home manager, and in the approval request and reminder to an approving
manager, answers without signing in (no sign-in redirect, no 403)."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from portal.applications import services as applications
from portal.extensions import db as database
from portal.notices import has_account
from portal.opportunities import records
from portal.opportunities import services as opportunities
from portal.sweeps import load_all
from tests.support import factories
from workflows import clock

HOME_MANAGER = "hana.nobody@dta.gov.au"
APPROVER = "morgan.nobody@dta.gov.au"
URL = re.compile(r"https?://[^\s\"'<>]+")


def _links(message) -> set[str]:
    """Every address in both parts of the e-mail (the HTML's href values included)."""
    found = set()
    for part in message.walk():
        if part.get_content_type() in ("text/plain", "text/html"):
            found |= set(URL.findall(part.get_content()))
    return {link.rstrip(".,)") for link in found}


def _opens_without_signing_in(app, message) -> list[str]:
    links = _links(message)
    assert links, message
    client = app.test_client()
    for link in sorted(links):
        parts = urlsplit(link)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        location = response.headers.get("Location", "")
        assert response.status_code not in (401, 403), (link, response.status_code)
        assert "sign-in" not in location, (link, location)
        assert response.status_code == 200, (link, response.status_code)
    return sorted(links)


@pytest.fixture
def participation(session):
    owner = factories.user(session, name="Olive Owner")
    applicant = factories.user(session, name="Ari Applicant", supervisor=("Hana Nobody", HOME_MANAGER))
    application = factories.application(session, factories.open_opportunity(session, owner), applicant,
                                        state="shortlisted")
    session.commit()
    assert not has_account(session, HOME_MANAGER)
    return application


def test_every_link_to_a_home_manager_without_an_account_opens_without_signing_in(app, session, mailbox,
                                                                                  participation):
    applications.select_applicant(session, participation,
                                  applications.actor_for(participation.opportunity.owner, participation))
    session.commit()
    request = mailbox.wait_for_to(HOME_MANAGER, "Please approve")
    applications.ask_home_manager(session, participation, step=1)
    session.commit()
    reminder = mailbox.wait_for_to(HOME_MANAGER, "Reminder")

    for message in (request, reminder):
        opened = _opens_without_signing_in(app, message)
        assert any("/applications/decision/" in link for link in opened)
        assert any(link.endswith("/help/for-managers") for link in opened)
        assert not any("/notifications/" in link for link in opened)

    applications.decide(session, participation, applications.home_manager_actor(participation), approve=True,
                        comment=None)
    session.commit()
    arrangement = mailbox.wait_for_to(HOME_MANAGER, "Informal arrangement")
    assert any("/acknowledge" in link or "/arrangements/" in link for link in _opens_without_signing_in(app, arrangement))


def test_every_link_to_an_approving_manager_without_an_account_opens_without_signing_in(app, session, mailbox):
    owner = factories.user(session, name="Olive Owner")
    opportunity = factories.opportunity(session, owner, approving_manager_name="Morgan Nobody",
                                        approving_manager_email=APPROVER)
    opportunities.submit(session, opportunity, records.actor_for(owner, opportunity))
    session.commit()
    request = mailbox.wait_for_to(APPROVER, "Please approve")
    with clock.moved_by(timedelta(days=5)):
        with app.test_request_context("/", base_url=app.config["SETTINGS"].portal_base_url):
            with database.transaction() as sweep_session:
                load_all()["opportunity-approval-reminders"](sweep_session, False)
    reminder = mailbox.wait_for_to(APPROVER, "Reminder")

    for message in (request, reminder):
        opened = _opens_without_signing_in(app, message)
        assert any("/approvals/" in link for link in opened) and not any("/decide" in link for link in opened)
        assert any(link.endswith("/help/for-managers") for link in opened)


def test_a_manager_with_an_account_is_also_offered_the_portal(app, session, mailbox, make_user):
    make_user(name="Morgan Somebody", email="morgan.somebody@dta.gov.au")
    owner = factories.user(session, name="Olive Owner")
    opportunity = factories.opportunity(session, owner, approving_manager_name="Morgan Somebody",
                                        approving_manager_email="morgan.somebody@dta.gov.au")
    opportunities.submit(session, opportunity, records.actor_for(owner, opportunity))
    session.commit()

    links = _links(mailbox.wait_for_to("morgan.somebody@dta.gov.au", "Please approve"))

    assert any(link.endswith(f"/approvals/{opportunity.id}") for link in links)
    assert any("/notifications/settings" in link for link in links)
