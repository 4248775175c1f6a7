"""The profile-agency bypass, tried again in a real browser: a DTA employee tries to become ATO staff to see an
"Only people from the Australian Taxation Office" opportunity. Every step ends in a refusal or in nothing
changing, and the opportunity stays invisible in search, on its page, in the API and in saved-search alerts."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

pytest.importorskip("playwright")
from sqlalchemy import select

import support
from portal.accounts import membership
from portal.api.tokens import create_token
from portal.extensions import db
from portal.models import OutboxMessage, SavedSearch, User
from portal.saved_searches.alerts import send_new_opportunity_alerts
from tests.support import factories
from tests.support.smtp import text_of
from workflows import clock

pytestmark = pytest.mark.browser
MONDAY = datetime(2027, 3, 1, 9, 0, tzinfo=clock.CANBERRA)
MOVE_LINK = re.compile(r"http://127\.0\.0\.1:\d+(/profile/agency/[\w.\-]+)")


def test_a_dta_employee_cannot_make_themselves_ato_staff(live_server, page, session, mailbox):
    ato = factories.agency(session, "ATO")
    with clock.frozen_at(MONDAY):
        dana = factories.user(session, name="Dana Dta", email="dana@dta.gov.au")
        session.add(SavedSearch(user_id=dana.id, name="Dashboards", query="q=dashboard", alert=True))
        colleague = factories.user(session, name="Col League", email="col@dta.gov.au")
        session.commit()
    with clock.frozen_at(MONDAY + timedelta(hours=1)):
        grace = factories.user(session, name="Grace Ato", email="grace@ato.gov.au", agency_abbreviation="ATO")
        secret = factories.open_opportunity(session, grace, restricted_to_agency=True,
                                            title="ATO only tax dashboard")
        public = factories.open_opportunity(session, grace, title="Open grants dashboard")
        session.commit()
    _, token = create_token(session, dana, "laptop")
    membership.request_move(session, colleague, "col@ato.gov.au", None)
    session.commit()
    colleagues_link = MOVE_LINK.search(text_of(mailbox.wait_for_to("col@ato.gov.au"))).group(1)

    support.sign_in(page, dana.email, factories.PASSWORD)
    page.goto("/profile")
    assert page.locator("#agency_id").count() == 0, "the profile has no agency to choose"
    support.visit(page)
    # The old bypass, by hand: add the agency field back to the form and save it.
    page.evaluate("""ato => { const form = document.querySelector('form.form');
        const field = document.createElement('input'); field.type = 'hidden'; field.name = 'agency_id';
        field.value = ato; form.appendChild(field); }""", str(ato.id))
    page.get_by_role("button", name="Save profile").click()
    assert "Digital Transformation Agency, taken from your e-mail address" in page.content()

    page.get_by_role("link", name="Moved agency? Add your new address").click()
    page.get_by_label("Your e-mail address at your new agency").fill("dana@health.nsw.gov.au")
    page.get_by_role("button", name="Send me a link").click()
    assert "for Australian Public Service staff" in page.content()
    support.visit(page)

    refused = page.goto(colleagues_link)  # a link a colleague forwarded
    assert refused.status == 403
    assert page.get_by_role("heading", name="This link was sent to somebody else").is_visible()
    support.visit(page, "agency_bypass_refused")

    page.goto("/opportunities?q=dashboard")
    assert "Open grants dashboard" in page.content() and "ATO only tax dashboard" not in page.content()
    assert page.goto(f"/opportunities/{secret.id}").status == 404
    api = page.request.get(f"/api/v1/opportunities/{secret.id}", headers={"Authorization": f"Bearer {token}"})
    assert api.status == 404
    with clock.frozen_at(MONDAY + timedelta(hours=3)), db.transaction() as sweep_session:
        send_new_opportunity_alerts(sweep_session, False)
    session.expire_all()
    [alert] = session.scalars(select(OutboxMessage).where(OutboxMessage.template == "new_opportunity_alert",
                                                          OutboxMessage.recipient == dana.email))
    listed = [item["title"] for group in alert.context["groups"] for item in group["opportunities"]]
    assert listed == [public.title]
    dana_now = session.get(User, dana.id)
    assert (dana_now.email, dana_now.agency.abbreviation) == ("dana@dta.gov.au", "DTA")
