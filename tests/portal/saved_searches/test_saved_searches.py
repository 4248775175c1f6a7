"""Saving a search from the search page, and the saved searches page: run, rename, alert, delete, the limit."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.models import SavedSearch, User
from tests.conftest import sign_in
from tests.support import factories
from tests.support.web import Web

SEARCH = "/opportunities?q=data&mode=remote&sort=closing&page=2"


def save(web, name: str = "Remote data work", alert: bool = False, page: str = SEARCH):
    data = {"name": name, "query": re.search(r'name="query" type="hidden" value="([^"]*)"',
                                             web.get(page).get_data(as_text=True)).group(1).replace("&amp;", "&")}
    if alert:
        data["alert"] = "y"
    return web.post("/saved-searches/new", data)


def stored(session, person) -> list[SavedSearch]:
    session.expire_all()
    return list(session.scalars(select(SavedSearch).where(SavedSearch.user_id == person.id).order_by(SavedSearch.id)))


def keep(session, person, name: str, query: str = "q=data", alert: bool = False) -> SavedSearch:
    saved = SavedSearch(user_id=person.id, name=name, query=query, alert=alert)
    session.add(saved)
    session.commit()
    return saved


def test_the_save_form_is_offered_only_once_something_is_searched_for(web, signed_in):
    signed_in()
    assert "Save this search" not in web.get("/opportunities").get_data(as_text=True)
    assert "Save this search" in web.get("/opportunities?skill=1").get_data(as_text=True)


def test_a_saved_search_keeps_the_canonical_query_without_sort_or_page(web, signed_in, session):
    person = signed_in()

    response = save(web)

    assert response.status_code == 302 and response.location.endswith("/saved-searches/")
    [saved] = stored(session, person)
    assert (saved.name, saved.query, saved.alert) == ("Remote data work", "q=data&mode=remote", False)


def test_the_saved_searches_page_runs_each_search_and_says_what_it_looks_for(web, signed_in, session):
    person = signed_in()
    skill = factories.skills(session)[0]
    keep(session, person, "Skilled", query=f"skill={skill.id}&closing=1", alert=True)

    page = web.get("/saved-searches/").get_data(as_text=True)

    assert f'href="/opportunities?skill={skill.id}&amp;closing=1">Skilled' in page
    assert f"Skills: {skill.name} · Closing date: Closing within 7 days" in page
    assert "Your saved searches (1 of 10)" in page


def test_the_same_search_cannot_be_saved_twice(web, signed_in, session):
    person = signed_in()
    keep(session, person, "Remote data work", query="q=data&mode=remote")

    response = save(web, name="Another name")

    assert response.status_code == 422
    assert "You have already saved this search as “Remote data work”" in response.get_data(as_text=True)
    assert len(stored(session, person)) == 1


def test_a_search_needs_a_name_and_the_error_is_shown_next_to_the_field(web, signed_in, session):
    person = signed_in()

    response = save(web, name="  ")

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="name-error"' in page and "Give the search a name" in page and 'aria-invalid="true"' in page
    assert 'href="#name"' in page  # the error summary links to the field
    assert stored(session, person) == []


def test_a_name_longer_than_80_characters_is_refused(web, signed_in, session):
    person = signed_in()
    assert "Use 80 characters or fewer" in save(web, name="x" * 81).get_data(as_text=True)
    assert stored(session, person) == []


def test_two_searches_cannot_share_a_name(web, signed_in, session):
    person = signed_in()
    keep(session, person, "Remote Data Work", query="q=policy")

    response = save(web, name="remote data work")

    assert response.status_code == 422
    assert "You already have a saved search with this name" in response.get_data(as_text=True)
    assert len(stored(session, person)) == 1


def test_a_search_with_nothing_chosen_cannot_be_saved(web, signed_in, session):
    person = signed_in()
    web.get("/opportunities")
    response = web.post("/saved-searches/new", {"name": "Everything", "query": "page=3&sort=newest"})
    assert response.status_code == 422 and "choose a filter before saving" in response.get_data(as_text=True)
    assert stored(session, person) == []


def test_an_eleventh_search_is_refused_with_a_clear_message(web, signed_in, session):
    person = signed_in()
    for n in range(10):
        keep(session, person, f"Search {n}", query=f"q=word{n}")
    assert "the most you can keep" in web.get("/saved-searches/").get_data(as_text=True)

    response = save(web)

    assert response.status_code == 422
    assert "You can keep 10 saved searches at most" in response.get_data(as_text=True)
    assert len(stored(session, person)) == 10


def test_saving_with_the_alert_on_is_an_opt_in(web, signed_in, session):
    person = signed_in()
    save(web, alert=True)
    assert [s.alert for s in stored(session, person)] == [True]


def test_a_search_can_be_renamed(web, signed_in, session):
    person = signed_in()
    saved = keep(session, person, "Old name")

    page = web.get(f"/saved-searches/{saved.id}/rename").get_data(as_text=True)
    response = web.post(f"/saved-searches/{saved.id}/rename", {"name": "New name"})

    assert 'value="Old name"' in page
    assert response.status_code == 302
    assert [s.name for s in stored(session, person)] == ["New name"]


def test_renaming_to_the_name_of_another_search_is_refused_next_to_the_field(web, signed_in, session):
    person = signed_in()
    keep(session, person, "Taken", query="q=policy")
    saved = keep(session, person, "Mine")

    web.get(f"/saved-searches/{saved.id}/rename")
    response = web.post(f"/saved-searches/{saved.id}/rename", {"name": "taken"})

    assert response.status_code == 422
    assert 'id="name-error"' in response.get_data(as_text=True)
    assert sorted(s.name for s in stored(session, person)) == ["Mine", "Taken"]


def test_the_e_mail_alert_is_switched_on_from_now_and_off_again(web, signed_in, session):
    person = signed_in()
    saved = keep(session, person, "Data")
    before = saved.new_since

    web.get("/saved-searches/")
    web.post(f"/saved-searches/{saved.id}/alert", {"alert": "1"})
    [on] = stored(session, person)
    assert on.alert is True and on.new_since > before

    web.post(f"/saved-searches/{saved.id}/alert", {"alert": "0"})
    assert [s.alert for s in stored(session, person)] == [False]


def test_a_search_can_be_deleted(web, signed_in, session):
    person = signed_in()
    saved = keep(session, person, "Data")
    web.get("/saved-searches/")
    response = web.post(f"/saved-searches/{saved.id}/delete")
    assert response.status_code == 302 and stored(session, person) == []


def test_another_persons_saved_search_is_not_found(web, signed_in, make_user, session):
    other = make_user()
    theirs = keep(session, other, "Theirs")
    signed_in()

    answers = [web.get(f"/saved-searches/{theirs.id}/rename").status_code,
               web.post(f"/saved-searches/{theirs.id}/rename", {"name": "Mine now"}).status_code,
               web.post(f"/saved-searches/{theirs.id}/alert", {"alert": "1"}).status_code,
               web.post(f"/saved-searches/{theirs.id}/delete").status_code]

    assert answers == [404, 404, 404, 404]
    assert [(s.name, s.alert) for s in stored(session, other)] == [("Theirs", False)]


def test_skill_match_e_mails_are_off_until_the_person_opts_in(web, signed_in, session):
    person = signed_in()
    page = web.get("/notifications/settings").get_data(as_text=True)
    assert 'id="skill_alerts" value="1"' in page and 'value="1" aria-describedby="skill_alerts-hint" checked' not in page

    web.post("/notifications/settings", {"skill_alerts": "1", "digests": "now"})
    session.expire_all()
    opted_in = session.get(User, person.id).skill_alerts_since
    web.get("/notifications/settings")
    web.post("/notifications/settings", {"digests": "now"})
    session.expire_all()

    assert opted_in is not None
    assert session.get(User, person.id).skill_alerts_since is None


def test_the_help_centre_explains_saved_searches_and_their_alerts(web, signed_in):
    signed_in()
    page = web.get("/help/notifications-and-saved-searches").get_data(as_text=True)
    assert "Save this search" in page and "at most one e-mail a day" in page


def test_the_blank_save_form_is_kept_by_its_query_and_carries_each_browsers_token(app, make_user, session,
                                                                                   kept_cards):
    """Kept once for the query (portal/cards.py); two people in two browsers each get their own token, and the
    form they were given saves."""
    people = [make_user(name="Ari Applicant", email="ari.applicant@ato.gov.au"),
              make_user(name="Bo Builder", email="bo.builder@finance.gov.au")]
    browsers = [Web(app.test_client()) for _ in people]
    tokens = []
    for browser, person in zip(browsers, people):
        sign_in(browser, person)
        page = browser.get(SEARCH).get_data(as_text=True)
        tokens.append(re.search(r'saved-searches/new" novalidate class="form">\s*<input id="csrf_token" '
                                r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1))
        assert tokens[-1] == browser.token

    assert kept_cards.count("save-search") == 1 and tokens[0] != tokens[1]
    assert save(browsers[1]).status_code == 302 and [s.name for s in stored(session, people[1])] == ["Remote data work"]
