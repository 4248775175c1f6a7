"""Who may see reports, and which agency's numbers and rows they get."""
from __future__ import annotations

from tests.portal.reports.support import RANGE, csv_rows, utc
from tests.support import factories


def _hosted(session, make_user, abbreviation: str, title: str):
    owner = make_user(agency_abbreviation=abbreviation)
    found = factories.report_opportunity(session, owner, title=title, created_at=utc(2026, 5, 1))
    session.commit()
    return found


def test_anonymous_visitor_is_sent_to_sign_in(web):
    response = web.get("/reports/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_plain_user_is_refused_the_dashboard_and_exports(web, signed_in):
    signed_in()
    assert web.get("/reports/").status_code == 403
    assert web.get("/reports/export/opportunities.csv").status_code == 403


def test_site_admin_export_holds_every_agency(session, web, signed_in, make_user):
    _hosted(session, make_user, "DTA", "Digital service review")
    _hosted(session, make_user, "ATO", "Tax data clean-up")
    signed_in(site_admin=True)
    titles = {row["Title"] for row in csv_rows(web.get("/reports/export/opportunities.csv", query_string=RANGE))}
    assert titles == {"Digital service review", "Tax data clean-up"}


def test_agency_admin_export_holds_only_their_agency(session, web, signed_in, make_user):
    _hosted(session, make_user, "DTA", "Digital service review")
    _hosted(session, make_user, "ATO", "Tax data clean-up")
    signed_in(admin_of=[factories.agency(session, "DTA")])
    rows = csv_rows(web.get("/reports/export/opportunities.csv", query_string=RANGE))
    assert [row["Title"] for row in rows] == ["Digital service review"]


def test_agency_admin_sees_participations_their_agency_hosts_or_sends(session, web, signed_in, make_user):
    dta, ato = factories.agency(session, "DTA"), factories.agency(session, "ATO")
    at_dta = _hosted(session, make_user, "DTA", "Digital service review")
    at_ato = _hosted(session, make_user, "ATO", "Tax data clean-up")
    dta_person = make_user(name="Dana From Dta", agency_abbreviation="DTA")
    ato_person = make_user(name="Alex From Ato", agency_abbreviation="ATO")
    other_ato_person = make_user(name="Sam Also Ato", agency_abbreviation="ATO")
    for opportunity, person in ((at_ato, dta_person), (at_dta, ato_person), (at_ato, other_ato_person)):
        factories.report_application(session, opportunity, person, created_at=utc(2026, 5, 2))
    session.commit()
    signed_in(admin_of=[dta])
    rows = csv_rows(web.get("/reports/export/applications.csv", query_string=RANGE))
    assert sorted(row["Applicant"] for row in rows) == ["Alex From Ato", "Dana From Dta"]
    assert ato.name in {row["Host agency"] for row in rows}


def test_agency_admin_people_export_lists_only_their_agency(session, web, signed_in, make_user):
    make_user(name="Dana From Dta", agency_abbreviation="DTA")
    make_user(name="Alex From Ato", agency_abbreviation="ATO")
    admin = signed_in(name="Ada Admin", admin_of=[factories.agency(session, "DTA")])
    names = {row["Name"] for row in csv_rows(web.get("/reports/export/people.csv"))}
    assert names == {"Dana From Dta", admin.name}


def test_agency_admin_dashboard_counts_only_their_agency(session, web, signed_in, make_user):
    _hosted(session, make_user, "DTA", "Digital service review")
    for n in range(3):
        _hosted(session, make_user, "ATO", f"Tax work {n}")
    signed_in(admin_of=[factories.agency(session, "DTA")])
    page = web.get("/reports/", query_string=RANGE).get_data(as_text=True)
    may = page.split('<th scope="row">May 2026</th>', 1)[1].split("</tr>", 1)[0]
    assert may.rstrip().endswith('<td class="numeric">1</td>')


def test_agency_admin_cannot_pick_another_agency(session, web, signed_in, make_user):
    _hosted(session, make_user, "ATO", "Tax data clean-up")
    signed_in(admin_of=[factories.agency(session, "DTA")])
    ato = factories.agency(session, "ATO")
    response = web.get("/reports/", query_string=dict(RANGE, agency=str(ato.id)))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose an agency from the list" in page
    assert "May 2026" not in page
    export = web.get("/reports/export/opportunities.csv", query_string=dict(RANGE, agency=str(ato.id)))
    assert export.status_code == 302 and "/reports/" in export.headers["Location"]


def test_site_admin_can_narrow_to_one_agency(session, web, signed_in, make_user):
    _hosted(session, make_user, "DTA", "Digital service review")
    _hosted(session, make_user, "ATO", "Tax data clean-up")
    signed_in(site_admin=True)
    ato = factories.agency(session, "ATO")
    rows = csv_rows(web.get("/reports/export/opportunities.csv", query_string=dict(RANGE, agency=str(ato.id))))
    assert [row["Title"] for row in rows] == ["Tax data clean-up"]


def test_reports_link_shows_for_admins_only(session, web, signed_in, make_user):
    signed_in(admin_of=[factories.agency(session, "DTA")])
    assert 'href="/reports/"' in web.get("/").get_data(as_text=True)


def test_reports_link_is_hidden_from_plain_users(web, signed_in):
    signed_in()
    assert 'href="/reports/"' not in web.get("/").get_data(as_text=True)


def test_agency_admin_dashboard_leaves_out_other_agencies_participations(session, web, signed_in, make_user):
    at_ato = _hosted(session, make_user, "ATO", "Tax data clean-up")
    factories.report_application(session, at_ato, make_user(agency_abbreviation="ATO"), state="confirmed",
                                 created_at=utc(2026, 5, 2))
    session.commit()
    signed_in(admin_of=[factories.agency(session, "DTA")])
    page = web.get("/reports/", query_string=RANGE).get_data(as_text=True)
    assert "Nobody applied in these dates." in page
    assert page.count("No confirmed participations in these dates.") == 2
    assert "Australian Taxation Office" not in page
