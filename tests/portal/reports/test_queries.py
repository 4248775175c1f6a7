"""The report figures: Canberra months, funnel history, median waits, skills, fixed query counts."""
from __future__ import annotations

from datetime import date, timedelta


from portal.reports import dashboard, queries
from portal.reports.scope import Scope
from tests.portal.reports.support import utc
from tests.support import factories, statements

YEAR = Scope(date(2026, 1, 1), date(2026, 12, 31), None)


def test_opportunity_created_late_on_the_last_utc_day_counts_in_the_canberra_month(session, make_user):
    owner = make_user()
    factories.report_opportunity(session, owner, created_at=utc(2026, 3, 31, 14, 30))  # 1 April, 1:30 am AEDT
    session.commit()
    data = queries.opportunities_by_month(session, YEAR)
    assert data.months[3] == date(2026, 4, 1)
    assert data.counts["Open"][2:4] == [0, 1]


def test_opportunities_are_grouped_by_the_state_they_are_in_now(session, make_user):
    owner = make_user()
    for state in ("draft", "open", "cancelled", "expired"):
        factories.report_opportunity(session, owner, state=state, created_at=utc(2026, 6, 10))
    session.commit()
    june = {label: counts[5] for label, counts in queries.opportunities_by_month(session, YEAR).counts.items()}
    assert june == {"Draft": 1, "Waiting for approval": 0, "Open": 1, "Matched": 0, "Completed": 0,
                    "Closed without a match": 2}


def test_funnel_counts_a_selected_applicant_who_later_withdrew(session, make_user):
    opportunity = factories.report_opportunity(session, make_user(), created_at=utc(2026, 2, 1))
    withdrew = factories.report_application(session, opportunity, make_user(), state="withdrawn",
                                            created_at=utc(2026, 2, 2))
    factories.report_event(session, withdrew, "selected", utc(2026, 2, 3), "applied")
    factories.report_event(session, withdrew, "withdrawn", utc(2026, 2, 4), "selected")
    factories.report_application(session, opportunity, make_user(), state="completed", created_at=utc(2026, 2, 2))
    factories.report_application(session, opportunity, make_user(), created_at=utc(2026, 2, 2))
    session.commit()
    assert queries.application_funnel(session, YEAR) == [
        ("Applied", 3), ("Selected", 2), ("Sent to home manager", 1),
        ("Confirmed (home manager approved)", 1), ("Completed", 1)]


def test_median_days_waiting_for_opportunity_approval(session, make_user):
    owner = make_user()
    for days in (1, 2, 6):
        opportunity = factories.report_opportunity(session, owner, created_at=utc(2026, 3, 1))
        factories.report_event(session, opportunity, "approval", utc(2026, 3, 2), "draft")
        factories.report_event(session, opportunity, "open", utc(2026, 3, 2) + timedelta(days=days), "approval")
    session.commit()
    wait = queries.approval_waits(session, YEAR)[0]
    assert (wait.decisions, round(wait.median_days, 2)) == (3, 2.0)


def test_a_resubmission_waits_from_its_own_submission(session, make_user):
    opportunity = factories.report_opportunity(session, make_user(), created_at=utc(2026, 3, 1))
    factories.report_event(session, opportunity, "approval", utc(2026, 3, 2), "draft")
    factories.report_event(session, opportunity, "draft", utc(2026, 3, 12), "approval")
    factories.report_event(session, opportunity, "approval", utc(2026, 3, 20), "draft")
    factories.report_event(session, opportunity, "open", utc(2026, 3, 21), "approval")
    session.commit()
    wait = queries.approval_waits(session, YEAR)[0]
    assert (wait.decisions, round(wait.median_days, 2)) == (2, 5.5)


def test_median_days_waiting_for_home_manager_counts_lapses(session, make_user):
    opportunity = factories.report_opportunity(session, make_user(), created_at=utc(2026, 3, 1))
    for outcome, hours in (("confirmed", 12), ("lapsed", 36)):
        application = factories.report_application(session, opportunity, make_user(), state=outcome)
        factories.report_event(session, application, "manager_approval", utc(2026, 4, 1), "selected")
        factories.report_event(session, application, outcome, utc(2026, 4, 1) + timedelta(hours=hours),
                               "manager_approval")
    session.commit()
    wait = queries.approval_waits(session, YEAR)[1]
    assert (wait.kind.key, wait.decisions, round(wait.median_days, 2)) == ("home_manager", 2, 1.0)


def test_skills_asked_for_and_offered_side_by_side(session, make_user):
    (research,), (design,) = factories.skills(session, "User research"), factories.skills(session, "Service design")
    offering = make_user()
    offering.skills = [research]
    opportunity = factories.report_opportunity(session, make_user(), created_at=utc(2026, 7, 1))
    opportunity.skills = [design, research]
    session.commit()
    found = {s.name: (s.asked, s.offered) for s in queries.skills_demand(session, YEAR)}
    assert found == {"Service design": (1, 0), "User research": (1, 1)}


def test_participation_by_home_agency_counts_confirmed_people(session, make_user):
    opportunity = factories.report_opportunity(session, make_user(agency_abbreviation="DTA"),
                                               created_at=utc(2026, 3, 1))
    for state in ("confirmed", "completed", "applied"):
        factories.report_application(session, opportunity, make_user(agency_abbreviation="ATO"), state=state,
                                     created_at=utc(2026, 3, 5))
    session.commit()
    home = queries.participation_by_agency(session, YEAR, "home")
    host = queries.participation_by_agency(session, YEAR, "host")
    assert [(a.short_name, a.count) for a in home] == [("ATO", 2)]
    assert [(a.short_name, a.count) for a in host] == [("DTA", 2)]


def _statements_for_dashboard(session) -> int:
    with statements.recorded() as seen:
        dashboard.sections(session, YEAR)
    return len(seen)


def _activity(session, make_user, count: int) -> None:
    owner = make_user()
    skills = factories.skills(session)
    for _ in range(count):
        opportunity = factories.report_opportunity(session, owner, created_at=utc(2026, 5, 1))
        opportunity.skills = skills
        factories.report_event(session, opportunity, "approval", utc(2026, 5, 1), "draft")
        factories.report_event(session, opportunity, "open", utc(2026, 5, 3), "approval")
        application = factories.report_application(session, opportunity, make_user(), state="confirmed",
                                                   created_at=utc(2026, 5, 4))
        factories.report_event(session, application, "manager_approval", utc(2026, 5, 5), "selected")
        factories.report_event(session, application, "confirmed", utc(2026, 5, 6), "manager_approval")
    session.commit()


def test_dashboard_runs_the_same_number_of_queries_for_more_data(session, make_user):
    _activity(session, make_user, 1)
    few = _statements_for_dashboard(session)
    _activity(session, make_user, 12)
    assert _statements_for_dashboard(session) == few <= 8
