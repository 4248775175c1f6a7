"""The search page's filters without JavaScript: native <details> groups, filters before the results, one GET form
with an "Apply filters" button; result cards with their dates and a paused opportunity said to be paused."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from portal.models import Skill
from tests.support import factories


def test_the_filters_come_first_in_groups_that_open_and_close_without_javascript(web, session, signed_in):
    viewer = signed_in()
    factories.open_opportunity(session, viewer, title="Testing job", kind="testing")
    session.commit()
    page = web.get("/opportunities?kind=testing").get_data(as_text=True)
    assert page.index('<details class="filter-panel"') < page.index('id="results"') < page.index("Testing job")
    assert re.search(r'<details class="facet" data-facet="kind" open>\s*<summary>Type <span class="chosen-count">'
                     r'\(1 chosen\)</span></summary>', page)
    assert '<summary class="filter-toggle">Filter' in page and '>Apply filters</button>' in page
    assert 'id="filters-note" data-filters-note hidden>Results update as soon as you tick' in page
    script = re.search(r'<script src="(/static/js/filters\.js\?v=[0-9a-f]+)" defer></script>', page)
    assert script and web.get(script.group(1)).status_code == 200


def test_long_groups_start_closed_unless_something_in_them_is_chosen(web, session, signed_in):
    viewer = signed_in()
    skills = list(session.scalars(select(Skill).order_by(Skill.id).limit(7)))
    for n, skill in enumerate(skills):
        factories.open_opportunity(session, viewer, title=f"Job {n}", skills=[skill])
    session.commit()
    assert '<details class="facet" data-facet="skill">' in web.get("/opportunities").get_data(as_text=True)
    chosen = web.get(f"/opportunities?skill={skills[0].id}").get_data(as_text=True)
    assert '<details class="facet" data-facet="skill" open>' in chosen


def test_the_whole_form_applies_several_groups_in_one_plain_submission(web, session, signed_in):
    viewer = signed_in()
    viewer.clearance = "baseline"
    factories.open_opportunity(session, viewer, title="Remote testing", kind="testing", work_mode="remote",
                               clearance="none")
    factories.open_opportunity(session, viewer, title="Remote secret testing", kind="testing", work_mode="remote",
                               clearance="pv")
    factories.open_opportunity(session, viewer, title="Remote project", kind="project", work_mode="remote",
                               clearance="none")
    session.commit()
    page = web.get("/opportunities?q=&sort=relevance&kind=testing&mode=remote&cleared=1").get_data(as_text=True)
    assert "Remote testing" in page and "Remote secret testing" not in page and "Remote project" not in page
    assert "1 opportunity" in page


def test_result_cards_show_the_dates_and_say_when_applications_are_paused(web, session, signed_in):
    viewer = signed_in()
    factories.open_opportunity(session, viewer, title="Paused job", accepting_applications=False,
                               start_date=date(2030, 3, 4), end_date=date(2030, 5, 6))
    factories.open_opportunity(session, viewer, title="Taking job")
    session.commit()
    page = web.get("/opportunities").get_data(as_text=True)
    paused = page[page.index("Paused job"):page.index("</li>", page.index("Paused job"))]
    taking = page[page.index("Taking job"):page.index("</li>", page.index("Taking job"))]
    assert "Not taking applications" in paused and "Not taking applications" not in taking
    assert "Starts 4 March 2030 · Ends 6 May 2030" in paused
    assert "Starts " in taking and "Ends " in taking
