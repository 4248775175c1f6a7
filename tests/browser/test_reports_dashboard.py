"""The reports dashboard in a real browser: signed in as a site admin, axe finds no WCAG 2.1 AA problem,
and a full-page screenshot is kept. Needs only the `app` fixture: it serves the app on a thread of its own.
"""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest

pytest.importorskip("playwright")

import support
from portal.extensions import db
from tests.support import factories

pytestmark = pytest.mark.browser

STATES = ("open", "matched", "completed", "approval", "draft", "cancelled", "open", "expired")
APPLICATION_PATHS = (("applied",), ("selected", "not_selected"), ("selected", "manager_approval", "confirmed"),
                     ("selected", "manager_approval", "confirmed", "completed"),
                     ("selected", "manager_approval", "lapsed"))
AGENCIES = ("DTA", "ATO", "ABS", "DISR")


def _a_year_of_activity() -> str:
    """Opportunities every month across four agencies, applications along each path, audit history."""
    start = datetime(2026, 1, 5, 1, tzinfo=timezone.utc)
    with db.transaction() as session:
        owners = [factories.user(session, agency_abbreviation=a) for a in AGENCIES]
        people = [factories.user(session, agency_abbreviation=a) for a in AGENCIES * 3]
        skills = factories.skills(session, "User research", "Service design", "Accessibility")
        for person, skill in zip(people, itertools.cycle(skills)):
            person.skills = [skill]
        for n in range(36):
            created = start + timedelta(days=9 * n)
            opportunity = factories.report_opportunity(session, owners[n % 4], state=STATES[n % len(STATES)],
                                                       created_at=created)
            opportunity.skills = skills[: 1 + n % 3]
            factories.report_event(session, opportunity, "approval", created, "draft")
            factories.report_event(session, opportunity, "open", created + timedelta(days=1 + n % 5), "approval")
            path = APPLICATION_PATHS[n % len(APPLICATION_PATHS)]
            application = factories.report_application(session, opportunity, people[n % len(people)],
                                                       state=path[-1], created_at=created + timedelta(days=6))
            for step, (before, after) in enumerate(zip(("applied",) + path, path), start=7):
                if before != after:
                    factories.report_event(session, application, after, created + timedelta(days=step), before)
        admin = factories.user(session, site_admin=True)
        return admin.email


def test_reports_dashboard_is_accessible_and_captured(live_server, page):
    email = _a_year_of_activity()
    page.set_viewport_size({"width": 1280, "height": 900})
    support.sign_in(page, email, factories.PASSWORD)
    page.goto(f"{live_server}/reports/?from_date=2026-01-01&to_date=2026-12-31")
    assert page.locator("h1").inner_text() == "Reports"
    assert page.locator("svg[role=img]").count() == 6
    support.assert_accessible(page)
    support.save_screenshot(page, "reports-dashboard")
