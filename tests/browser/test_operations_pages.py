"""The System page, "Your data and privacy" and the correction pages in a real browser: axe finds no WCAG 2.1 AA
problem, and the buttons work without JavaScript (plain form posts)."""
from __future__ import annotations

from datetime import timedelta

import pytest

pytest.importorskip("playwright")

import support
from sqlalchemy import insert

from portal.extensions import db
from portal.models import OutboxMessage
from portal.privacy import corrections
from tests.support import factories
from workflows import clock

pytestmark = pytest.mark.browser


def _people() -> tuple[str, str]:
    with db.transaction() as session:
        admin = factories.user(session, site_admin=True, name="Sita Admin")
        person = factories.user(session, name="Pat Person")
        corrections.ask(session, person, "email", "My address changed when I moved team.")
        session.execute(insert(OutboxMessage), [{
            "template": "verify_email", "recipient": "pat.person@ato.gov.au", "context": {}, "attachments": [],
            "idempotency_key": f"browser-{status}", "status": status, "category": "account",
            "attempts": 2, "last_error": "SMTPDataError: refused" if status != "pending" else None,
            "created_at": clock.utcnow() - timedelta(hours=2)} for status in ("pending", "failed", "bounced")])
        return admin.email, person.email


def test_operations_and_privacy_pages_are_accessible(page):
    admin, person = _people()
    support.sign_in(page, admin, factories.PASSWORD)
    page.goto("/admin/system/")
    assert page.locator("h1").inner_text() == "System"
    support.visit(page, "system")
    page.get_by_role("button", name="Run now opportunity-expiry").click()
    page.wait_for_load_state()
    assert "opportunity-expiry ran" in page.content()
    page.goto("/admin/corrections/")
    support.visit(page)
    page.get_by_role("link", name="Pat Person").click()
    support.visit(page, "correction-request")
    support.sign_out(page)

    support.sign_in(page, person, factories.PASSWORD)
    page.goto("/account/privacy/")
    support.visit(page, "your-data-and-privacy")
    page.get_by_role("button", name="Close my account").click()
    page.wait_for_load_state()
    assert "Enter your password to confirm" in page.content()
    support.visit(page)
