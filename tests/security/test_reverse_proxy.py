"""Behind a reverse proxy (TRUSTED_PROXIES): rate limits and audit entries use the person's own address,
never the proxy's, and without the setting a client cannot choose its address by sending the header."""
from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from portal.accounts import services as accounts
from portal.models import AuditEvent, OutboxMessage
from tests.support import factories
from tests.support.web import Web

PROXY = {"REMOTE_ADDR": "10.0.0.5"}  # every request arrives from the proxy's address


@pytest.fixture
def behind(app, settings):
    """A portal built by the factory with the given number of trusted proxies and 3 sign-ins a minute."""
    from tests.support.apps import another_app

    def build(proxies: int) -> Web:
        return Web(another_app(app, replace(settings, trusted_proxies=proxies, login_rate_limit="3 per minute"))
                   .test_client())

    return build


def _sign_in_from(web: Web, client_address: str):
    return web.submit("/sign-in", {"email": "nobody.here@dta.gov.au", "password": "wrong password here"},
                      environ_base=PROXY, headers={"X-Forwarded-For": client_address})


def test_the_sign_in_limit_is_each_persons_own_behind_a_trusted_proxy(behind):
    web = behind(1)
    for _ in range(3):
        assert _sign_in_from(web, "203.0.113.1").status_code == 422

    assert _sign_in_from(web, "203.0.113.1").status_code == 429
    assert _sign_in_from(web, "203.0.113.2").status_code == 422, "another person shared the first one's limit"


def test_without_trusted_proxies_a_forwarded_address_is_not_believed(behind):
    web = behind(0)
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        assert _sign_in_from(web, address).status_code == 422

    assert _sign_in_from(web, "203.0.113.4").status_code == 429


def test_an_audit_entry_records_the_persons_own_address(behind, session):
    web = behind(1)
    person = factories.user(session, verified=False)
    accounts.send_verification(session, person)
    session.commit()
    link = session.scalar(select(OutboxMessage.context).where(OutboxMessage.template == "verify_email"))["link"]

    web.get("/" + link.split("/", 3)[3], environ_base=PROXY, headers={"X-Forwarded-For": "198.51.100.7"})

    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "verified"))
    assert event.record_id == person.id and event.client_address == "198.51.100.7"


def test_the_scheme_the_proxy_was_asked_for_counts(behind):
    response = behind(1).get("/sign-in", environ_base=PROXY, headers={"X-Forwarded-For": "203.0.113.1",
                                                                      "X-Forwarded-Proto": "https"})

    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
