"""Browse and search: full text on either database, facets with counts, visibility, sort, pages, queries."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.opportunities.text_match import fts5_query
from tests.support import factories, statements
from workflows import clock


def listed(session, owner, **fields):
    return factories.opportunity(session, owner, state="open", **fields)


def test_keyword_search_finds_words_in_title_descriptions_and_skills(web, session, signed_in):
    viewer = signed_in()
    skill = factories.skills(session, "User research")
    listed(session, viewer, title="Help with interviews", skills=skill)
    listed(session, viewer, title="Budget spreadsheet", what_you_do="Model **forecasts**", what_you_gain="Excel.")
    session.commit()
    page = web.get("/opportunities?q=research").get_data(as_text=True)
    assert "Help with interviews" in page and "Budget spreadsheet" not in page
    assert "1 opportunity for" in page
    assert "Budget spreadsheet" in web.get("/opportunities?q=forecast").get_data(as_text=True)


def test_search_understands_phrases_or_and_exclusions(web, session, signed_in):
    viewer = signed_in()
    listed(session, viewer, title="Data analysis sprint", summary="Analyse grants data.")
    listed(session, viewer, title="Policy writing", summary="Draft policy on data sharing.")
    session.commit()
    assert "Policy writing" not in web.get('/opportunities?q="data analysis"').get_data(as_text=True)
    both = web.get("/opportunities?q=sprint or writing").get_data(as_text=True)
    assert "Data analysis sprint" in both and "Policy writing" in both
    excluded = web.get("/opportunities?q=data -policy").get_data(as_text=True)
    assert "Data analysis sprint" in excluded and "Policy writing" not in excluded


def test_only_open_opportunities_are_listed(web, session, signed_in):
    viewer = signed_in()
    listed(session, viewer, title="Listed one")
    factories.opportunity(session, viewer, title="A draft one")
    factories.opportunity(session, viewer, state="approval", title="Waiting one")
    session.commit()
    page = web.get("/opportunities").get_data(as_text=True)
    assert "Listed one" in page and "A draft one" not in page and "Waiting one" not in page


def test_agency_only_opportunities_are_shown_only_to_that_agency(web, session, make_user, signed_in):
    host = make_user(agency_abbreviation="ATO")
    hidden = listed(session, host, title="Tax office only", restricted_to_agency=True)
    session.commit()
    signed_in(agency_abbreviation="DTA")
    assert "Tax office only" not in web.get("/opportunities").get_data(as_text=True)
    assert web.get(f"/opportunities/{hidden.id}").status_code == 404


def test_agency_only_opportunities_are_shown_to_their_own_agency(web, session, make_user, signed_in):
    host = make_user(agency_abbreviation="ATO")
    listed(session, host, title="Tax office only", restricted_to_agency=True)
    session.commit()
    signed_in(agency_abbreviation="ATO")
    assert "Tax office only" in web.get("/opportunities").get_data(as_text=True)


def test_facets_show_counts_and_filters_narrow_the_results(web, session, signed_in):
    viewer = signed_in()
    listed(session, viewer, title="Project one", kind="project")
    listed(session, viewer, title="Project two", kind="project")
    listed(session, viewer, title="Mentor someone", kind="mentoring", clearance="baseline")
    session.commit()
    page = web.get("/opportunities").get_data(as_text=True)
    assert 'for="f-kind-project">Project <span class="count">(2)' in page
    assert 'for="f-kind-mentoring">Mentoring <span class="count">(1)' in page
    filtered = web.get("/opportunities?kind=mentoring").get_data(as_text=True)
    assert "Mentor someone" in filtered and "Project one" not in filtered
    assert 'value="mentoring" checked' in filtered
    assert 'for="f-kind-project">Project <span class="count">(2)' in filtered  # its own facet stays countable
    assert 'for="f-clearance-none">None <span class="count">(0)' not in filtered


def test_closing_within_seven_days_facet(web, session, signed_in):
    viewer = signed_in()
    today = clock.canberra_today()
    listed(session, viewer, title="Closing soon", deadline=today + timedelta(days=3))
    listed(session, viewer, title="Closing later", deadline=today + timedelta(days=20))
    session.commit()
    page = web.get("/opportunities?closing=1").get_data(as_text=True)
    assert "Closing soon" in page and "Closing later" not in page


def test_closing_soonest_sort(web, session, signed_in):
    viewer = signed_in()
    today = clock.canberra_today()
    listed(session, viewer, title="Later deadline", deadline=today + timedelta(days=20))
    listed(session, viewer, title="Earlier deadline", deadline=today + timedelta(days=5))
    session.commit()
    page = web.get("/opportunities?sort=closing").get_data(as_text=True)
    assert page.index("Earlier deadline") < page.index("Later deadline")


def test_results_are_paginated_with_links_that_keep_the_filters(web, session, signed_in):
    viewer = signed_in()
    for n in range(25):
        listed(session, viewer, title=f"Numbered opportunity {n:02d}", kind="testing")
    session.commit()
    first = web.get("/opportunities?kind=testing").get_data(as_text=True)
    assert "25 opportunities" in first and "Page 1 of 2" in first
    assert "kind=testing&amp;page=2" in first
    second = web.get("/opportunities?kind=testing&page=2").get_data(as_text=True)
    assert second.count('class="card result"') == 5


def test_unknown_filter_values_are_ignored(web, signed_in):
    signed_in()
    assert web.get("/opportunities?kind=nonsense&page=abc&sort=bogus&skill=x").status_code == 200


@pytest.mark.parametrize("text, expected", [
    ("data", '("data")'),
    ('"user research" design', '("user research") AND ("design")'),
    ("policy -internship", '("policy") NOT "internship"'),
    ("a or b", '("a" OR "b")'),
    ("-only", None),
    ('"quote * ^ ( )', '("quote")'),
])
def test_fts5_query_translation(text, expected):
    assert fts5_query(text) == expected


def _statements_for(web, url: str) -> list[str]:
    with statements.recorded() as sent:
        assert web.get(url).status_code == 200
    return sent


def test_search_page_uses_the_same_number_of_queries_for_10_and_200_results(web, session, signed_in):
    viewer = signed_in()
    skills = factories.skills(session)
    for n in range(200):
        listed(session, viewer, title=f"Bulk {n}", kind="testing" if n < 10 else "project",
               skills=skills[: 1 + n % 3])
    session.commit()
    web.get("/opportunities")  # the first page a person opens also loads what the header needs
    few = _statements_for(web, "/opportunities?kind=testing")
    many = _statements_for(web, "/opportunities?kind=project")
    assert len(few) == len(many), [s[:70] for s in few + many]


def test_saved_opportunities_are_kept_per_person(web, session, signed_in):
    viewer = signed_in()
    opportunity = listed(session, viewer, title="Worth keeping")
    session.commit()
    web.get(f"/opportunities/{opportunity.id}")
    web.post(f"/opportunities/{opportunity.id}/save", {"saved": "1"})
    assert "Worth keeping" in web.get("/opportunities/saved").get_data(as_text=True)
    web.post(f"/opportunities/{opportunity.id}/save", {"saved": "0"})
    assert "Worth keeping" not in web.get("/opportunities/saved").get_data(as_text=True)
