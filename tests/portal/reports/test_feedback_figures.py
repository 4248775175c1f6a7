"""Feedback on the reports: counts and average ratings by host agency and opportunity type, agency admins see
their agency's, the CSV export carries the same figures, and a group of fewer than five is never shown."""
from __future__ import annotations

from portal.models import Feedback
from tests.portal.reports.support import RANGE, csv_rows, utc
from tests.support import factories


def _ratings(session, make_user, host_abbreviation: str, kind: str, ratings: list[int], role: str = "participant"):
    """One completed participation per rating, hosted by an agency, each rated once from `role`'s side."""
    owner = make_user(agency_abbreviation=host_abbreviation)
    for rating in ratings:
        opportunity = factories.report_opportunity(session, owner, kind=kind, state="completed",
                                                   created_at=utc(2026, 4, 1))
        participant = make_user(agency_abbreviation="DSS")
        application = factories.report_application(session, opportunity, participant, state="completed",
                                                   created_at=utc(2026, 4, 2), completed_at=utc(2026, 6, 1))
        author = participant if role == "participant" else owner
        session.add(Feedback(application_id=application.id, author_role=role, author_id=author.id, rating=rating,
                             created_at=utc(2026, 6, 2)))
    session.commit()


def _feedback_section(page: str) -> str:
    return page[page.index('id="feedback-heading"'):]


def test_dashboard_shows_counts_and_averages_by_host_agency_and_type(session, web, signed_in, make_user):
    _ratings(session, make_user, "DTA", "project", [5, 4, 4, 5, 3])
    signed_in(site_admin=True)

    section = _feedback_section(web.get("/reports/", query_string=RANGE).get_data(as_text=True))

    assert "Digital Transformation Agency, Project" in section
    assert "<td class=\"numeric\">5</td>" in section and "4.2" in section


def test_a_group_of_fewer_than_five_is_shown_nowhere(session, web, signed_in, make_user):
    _ratings(session, make_user, "DTA", "project", [5, 4, 4, 5, 3])
    _ratings(session, make_user, "ATO", "testing", [1, 1, 2, 1])
    _ratings(session, make_user, "DTA", "project", [2, 2, 2, 2], role="owner")
    signed_in(site_admin=True)

    section = _feedback_section(web.get("/reports/", query_string=RANGE).get_data(as_text=True))
    rows = csv_rows(web.get("/reports/export/feedback.csv", query_string=RANGE))

    assert "Testing" not in section and "Hosts" not in section
    assert [(r["Host agency"], r["Opportunity type"], r["Feedback from"], r["Ratings"], r["Average rating (out of 5)"])
            for r in rows] == [("Digital Transformation Agency", "Project", "Participants", "5", "4.2")]


def test_agency_admins_see_only_their_agencys_feedback(session, web, signed_in, make_user):
    _ratings(session, make_user, "DTA", "project", [5, 4, 4, 5, 3])
    _ratings(session, make_user, "ATO", "working_group", [3, 3, 3, 3, 3])
    signed_in(admin_of=[factories.agency(session, "ATO")], agency_abbreviation="ATO")

    section = _feedback_section(web.get("/reports/", query_string=RANGE).get_data(as_text=True))
    rows = csv_rows(web.get("/reports/export/feedback.csv", query_string=RANGE))

    assert "Working group" in section and "Digital Transformation Agency" not in section
    assert [r["Opportunity type"] for r in rows] == ["Working group"]


def test_no_group_large_enough_says_so(session, web, signed_in, make_user):
    _ratings(session, make_user, "DTA", "project", [5, 4])
    signed_in(site_admin=True)

    section = _feedback_section(web.get("/reports/", query_string=RANGE).get_data(as_text=True))

    assert "No group of 5 or more ratings was given in these dates." in section
