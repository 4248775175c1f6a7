"""The dashboard page: filters with errors beside the fields, a chart and a data table for each figure."""
from __future__ import annotations

import re

from workflows import clock
from tests.portal.reports.support import RANGE, utc
from tests.support import factories


def _with_activity(session, make_user) -> None:
    owner = make_user(agency_abbreviation="DTA")
    opportunity = factories.report_opportunity(session, owner, created_at=utc(2026, 5, 1))
    opportunity.skills = factories.skills(session, "User research")
    factories.report_event(session, opportunity, "approval", utc(2026, 5, 1), "draft")
    factories.report_event(session, opportunity, "open", utc(2026, 5, 3), "approval")
    application = factories.report_application(session, opportunity, make_user(agency_abbreviation="ATO"),
                                               state="confirmed", created_at=utc(2026, 5, 4))
    factories.report_event(session, application, "manager_approval", utc(2026, 5, 5), "selected")
    factories.report_event(session, application, "confirmed", utc(2026, 5, 7), "manager_approval")
    session.commit()


def _page(web, signed_in, **query) -> str:
    signed_in(site_admin=True)
    return web.get("/reports/", query_string=query).get_data(as_text=True)


def test_every_chart_is_a_labelled_image_with_a_title_and_description(session, web, signed_in, make_user):
    _with_activity(session, make_user)
    page = _page(web, signed_in, **RANGE)
    charts = re.findall(r'<svg [^>]*role="img" aria-labelledby="([\w-]+)-title ([\w-]+)-desc"', page)
    assert [key for key, _ in charts] == ["chart-opportunities", "chart-funnel", "chart-participation-home",
                                          "chart-participation-host", "chart-waits", "chart-skills"]
    for key, _ in charts:
        assert f'<title id="{key}-title">' in page and f'<desc id="{key}-desc">' in page


def test_every_chart_has_a_data_table_with_caption_and_headers(session, web, signed_in, make_user):
    _with_activity(session, make_user)
    page = _page(web, signed_in, **RANGE)
    assert page.count("<caption>") == page.count('role="img"') == 6
    assert '<th scope="col"' in page and '<th scope="row">Confirmed (home manager approved)</th>' in page


def test_tables_carry_the_numbers(session, web, signed_in, make_user):
    _with_activity(session, make_user)
    page = _page(web, signed_in, **RANGE)
    assert re.search(r'<th scope="row">Home manager approval</th><td class="numeric">2\.0</td>', page)
    assert re.search(r'<th scope="row">Australian Taxation Office</th><td class="numeric">1</td>', page)
    assert re.search(r'<th scope="row">User research</th><td class="numeric">1</td><td class="numeric">0</td>',
                     page)


def test_empty_period_says_so_instead_of_drawing_charts(web, signed_in):
    page = _page(web, signed_in, **RANGE)
    assert "No opportunities were created in these dates." in page
    assert 'role="img"' not in page


def test_default_range_is_the_last_twelve_months(web, signed_in):
    with clock.frozen_at(utc(2026, 11, 25, 3)):
        page = _page(web, signed_in)
    assert "Figures from 1 December 2025 to 25 November 2026" in page


def test_impossible_date_is_explained_next_to_the_field(web, signed_in):
    signed_in(site_admin=True)
    response = web.get("/reports/", query_string={"from_date": "2026-02-31", "to_date": "2026-03-31"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'<p class="field-error" id="from_date-error">.*Enter a real date', page)
    assert 'aria-invalid="true"' in page and 'value="2026-02-31"' in page


def test_end_before_start_is_explained_next_to_the_end_date(web, signed_in):
    page = _page(web, signed_in, from_date="2026-05-01", to_date="2026-04-01")
    assert re.search(r'id="to_date-error">.*The end date must be the same as or after the start date', page)


def test_australian_date_format_is_understood(web, signed_in):
    page = _page(web, signed_in, from_date="01/02/2026", to_date="28/02/2026")
    assert "Figures from 1 February 2026 to 28 February 2026" in page


def test_export_links_keep_the_chosen_filters(session, web, signed_in):
    ato = factories.agency(session, "ATO")
    page = _page(web, signed_in, agency=str(ato.id), **RANGE)
    assert f"/reports/export/applications.csv?from_date=2026-01-01&amp;to_date=2026-12-31&amp;agency={ato.id}" in page \
        or f"/reports/export/applications.csv?agency={ato.id}&amp;from_date=2026-01-01&amp;to_date=2026-12-31" in page


def test_site_admin_can_filter_by_agency(web, signed_in):
    assert 'name="agency"' in _page(web, signed_in)


def test_single_agency_admin_has_no_agency_filter(session, web, signed_in):
    signed_in(admin_of=[factories.agency(session, "DTA")])
    page = web.get("/reports/").get_data(as_text=True)
    assert 'name="agency"' not in page and "for Digital Transformation Agency." in page


def test_dates_outside_the_supported_years_are_refused_not_crashed(web, signed_in):
    signed_in(site_admin=True)
    for query in ({"from_date": "0001-01-01", "to_date": "0001-01-02"},
                  {"from_date": "9999-12-30", "to_date": "9999-12-31"}):
        response = web.get("/reports/", query_string=query)
        assert response.status_code == 400
        assert "Enter a date between 2000 and 2099" in response.get_data(as_text=True)
        assert web.get("/reports/export/people.csv", query_string=query).status_code == 302


def test_end_date_alone_shows_the_twelve_months_up_to_it(web, signed_in):
    page = _page(web, signed_in, to_date="2020-03-15")
    assert "Figures from 1 April 2019 to 15 March 2020" in page
