"""The opportunity page's public body is kept once rendered (in the process, by the listing generation the database
holds): everyone who may see the opportunity gets the same body, nobody gets another viewer's personal part, who may
see it is still decided each time, and a committed change shows on the next request."""
from __future__ import annotations

import re

import pytest

from portal.opportunities import services
from portal.opportunities.facet_cache import FacetCache
from tests.support import factories, statements
from tests.support.web import Web


@pytest.fixture
def shared_cache(app, ambient_app, monkeypatch) -> FacetCache:
    """A cache of the test's own for the app serving requests and the one whose context the test holds, as the one
    app of a real process would have."""
    cache = FacetCache(30)
    for each in (app, ambient_app):
        monkeypatch.setitem(each.extensions, "opportunity_facet_cache", cache)
    return cache


def body(page: str) -> str:
    return re.search(r'<div class="with-sidebar">\s*<div>(.*?)</div>\s*<aside', page, re.S).group(1)


def view(web, person, path: str) -> str:
    web.submit("/sign-out", {})
    web.submit("/sign-in", {"email": person.email, "password": factories.PASSWORD})
    return web.get(path).get_data(as_text=True)


def test_viewers_of_other_agencies_and_roles_share_the_body_and_nothing_personal(app, session, make_user,
                                                                                   shared_cache):
    owner = make_user(name="Olive Owner", email="olive.owner@example.gov.au")
    opportunity = factories.opportunity(session, owner, state="open", title="Map the grants journey",
                                        summary="Help us map the grants journey.")
    session.commit()
    path = f"/opportunities/{opportunity.id}"
    employee = make_user(name="Ezra Elsewhere", agency_abbreviation="ATO")
    admin = factories.agency_admin(session, "ATO", name="Ada Admin")
    services.set_saved(session, employee, opportunity.id, True)
    session.commit()

    browsers = [Web(app.test_client()) for _ in range(3)]  # each person at their own browser
    as_owner = view(browsers[0], owner, path)
    with statements.recorded() as read:
        as_employee = view(browsers[1], employee, path)
    as_admin = view(browsers[2], admin, path)

    assert "Help us map the grants journey." in body(as_owner)
    assert body(as_owner) == body(as_employee) == body(as_admin)
    assert not any("opportunity_skills" in statement for statement in read)  # the body came from the cache
    assert "Add co-owner" in as_owner and "Copy into a new draft" in as_owner
    for personal in ("Add co-owner", "Copy into a new draft", "olive.owner@example.gov.au", "Timeline",
                     "You own this opportunity"):
        assert personal not in as_employee and personal not in as_admin
    assert "Apply for this opportunity" in as_employee and "Remove from saved" in as_employee
    assert "Save for later" in as_owner and "Save for later" in as_admin and "Olive Owner" in body(as_employee)
    tokens = [re.findall(r'name="csrf_token" value="([^"]+)"', page) for page in (as_owner, as_employee)]
    assert tokens[0] and tokens[1] and not set(tokens[0]) & set(tokens[1]), "each browser's own form tokens"


def test_an_agency_only_opportunity_stays_hidden_after_its_body_is_kept(web, session, make_user, shared_cache):
    owner = make_user()
    opportunity = factories.opportunity(session, owner, state="open", title="Inside the agency only",
                                        restricted_to_agency=True)
    session.commit()
    path = f"/opportunities/{opportunity.id}"
    colleague, outsider = make_user(), make_user(agency_abbreviation="ATO")

    assert "Inside the agency only" in view(web, owner, path)
    assert "Inside the agency only" in view(web, colleague, path)
    web.submit("/sign-out", {})
    web.submit("/sign-in", {"email": outsider.email, "password": factories.PASSWORD})
    assert web.get(path).status_code == 404


def test_a_committed_change_shows_on_the_next_request(web, session, make_user, shared_cache):
    owner = make_user(name="First Name")
    opportunity = factories.opportunity(session, owner, state="open", summary="The first summary.")
    session.commit()
    path = f"/opportunities/{opportunity.id}"
    reader = make_user(agency_abbreviation="ATO")
    assert "The first summary." in view(web, reader, path)

    opportunity.summary = "The second summary."  # no version bump: the listing generation moves on commit
    session.commit()
    assert "The second summary." in web.get(path).get_data(as_text=True)

    owner.name = "Second Name"  # the body names the owner
    session.commit()
    assert "Second Name" in web.get(path).get_data(as_text=True)


def main_part(page: str) -> str:
    """The page below the header, with each browser's form tokens taken out."""
    part = re.search(r'<main id="main"[^>]*>(.*)</main>', page, re.S).group(1)
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"|name="csrf_token" value="[^"]+"', "TOKEN", part)


def kept_mains(cache: FacetCache) -> int:
    return sum(1 for key in cache._pages._cards if "opportunity-main" in key)


def test_visitors_with_the_same_standing_share_the_kept_page_and_nothing_personal(app, session, make_user,
                                                                                   shared_cache):
    """Everything below the header is kept for people who do not manage the opportunity, by exactly what it shows
    them: two people of different agencies in the same standing get the same page, one who saved it gets theirs,
    the owner's is drawn afresh, and a question makes the section personal again."""
    from portal.questions import services as questions

    owner = make_user(name="Olive Owner", email="olive.owner@example.gov.au")
    opportunity = factories.opportunity(session, owner, state="open", title="Map the grants journey")
    session.commit()
    path = f"/opportunities/{opportunity.id}"
    first = make_user(name="Ezra Elsewhere", agency_abbreviation="ATO")
    second = make_user(name="Fay Finance", agency_abbreviation="DOF")
    saver = make_user(name="Sam Saver")
    services.set_saved(session, saver, opportunity.id, True)
    session.commit()

    browsers = [Web(app.test_client()) for _ in range(4)]
    as_first, as_second, as_saver = (view(browsers[n], person, path) for n, person in enumerate((first, second, saver)))
    assert main_part(as_first) == main_part(as_second) and kept_mains(shared_cache) == 2
    assert "Save for later" in as_first and "Remove from saved" in as_saver and "Ask the owners" in as_first
    tokens = [re.findall(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
              for page in (as_first, as_second)]
    assert all(tokens) and not set(tokens[0]) & set(tokens[1]), "each browser's own form tokens"

    as_owner = view(browsers[3], owner, path)
    assert "Add co-owner" in as_owner and kept_mains(shared_cache) == 2
    for personal in ("Add co-owner", "olive.owner@example.gov.au", "Timeline", "You own this opportunity"):
        assert personal not in as_first and personal not in as_second

    questions.ask(session, first, opportunity, "Can I work on this from Hobart?")
    session.commit()
    mine, theirs = browsers[0].get(path).get_data(as_text=True), browsers[1].get(path).get_data(as_text=True)
    assert "Can I work on this from Hobart?" in mine and "(yours)" in mine
    assert "Can I work on this from Hobart?" not in theirs  # waiting for an answer: only the asker and owners see it


def test_a_kept_page_costs_one_statement_the_person_and_the_opportunity_together(web, session, make_user,
                                                                                 shared_cache):
    """The page's own row (the opportunity, the viewer's application and saved state, the places taken) is read in
    the statement that loads the signed-in person (portal/page_rows.py): one round trip to the database."""
    owner = make_user()
    opportunity = factories.opportunity(session, owner, state="open", title="One round trip")
    session.commit()
    reader = make_user(agency_abbreviation="ATO")
    path = f"/opportunities/{opportunity.id}"
    assert "One round trip" in view(web, reader, path)

    with statements.recorded() as sent:
        page = web.get(path).get_data(as_text=True)
    assert "One round trip" in page and "Apply for this opportunity" in page
    assert len(sent) == 1 and "FROM users LEFT OUTER JOIN opportunities" in sent[0]
    with statements.recorded() as sent:
        assert web.get(f"/opportunities/{opportunity.id + 1000}").status_code == 404
    assert len(sent) == 1
