"""The signed-in home page is the person's to-do list: each item from the rule of the page it links to, each
linking there, empty states that say what to do next, and a fixed number of SQL statements."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.models import Feedback
from tests.conftest import sign_in
from tests.support import factories, statements
from workflows import clock


@pytest.fixture
def me(make_user):
    return make_user(name="Grace Liu", email="grace.liu@dta.gov.au")


def _home(web, person) -> str:
    sign_in(web, person)
    return web.get("/").get_data(as_text=True)


def test_someone_with_nothing_to_do_is_told_what_to_do_next(web, me):
    page = _home(web, me)

    assert "Nothing is waiting for you right now." in page
    assert "You have no applications in progress." in page and 'href="/opportunities/new"' in page


def test_applicants_and_passed_deadlines_on_my_opportunities_link_to_the_applicants_page(web, session, me):
    waiting = factories.open_opportunity(session, me, title="Dashboard sprint")
    factories.application(session, waiting, state="applied")
    closed = factories.open_opportunity(session, me, title="Closed research",
                                        deadline=clock.canberra_today() - timedelta(days=2))
    quiet = factories.open_opportunity(session, me, title="Nobody applied yet")
    session.commit()

    page = _home(web, me)

    assert f'<a href="/opportunities/{waiting.id}/applicants">Review the applicants for “Dashboard sprint”' in page
    assert f'<a href="/opportunities/{closed.id}/applicants">Applications for “Closed research” closed on' in page
    assert "Nobody applied yet" not in page and quiet.id


def test_approvals_waiting_on_me_as_approving_and_home_manager(web, session, me, make_user):
    poster = make_user()
    pending = factories.opportunity(session, poster, state="approval", title="Needs my nod",
                                    approving_manager_name="Grace Liu", approving_manager_email=me.email)
    staff = make_user(name="Sam Staff", supervisor=("Grace Liu", me.email))
    asked = factories.application(session, factories.open_opportunity(session, poster), staff,
                                  state="manager_approval")
    session.commit()

    page = _home(web, me)

    assert f'<a href="/approvals/{pending.id}">Approve or send back “Needs my nod”' in page
    assert f'<a href="/applications/{asked.id}/decision">Approve or decline Sam Staff' in page


def test_my_own_unacknowledged_arrangement_is_on_my_list_and_my_tracker_says_it_waits_on_me(web, session, me,
                                                                                           make_user):
    host = make_user(name="Olive Owner")
    application = factories.application(session, factories.open_opportunity(session, host, title="Data sprint"), me,
                                        state="confirmed")
    arrangement = factories.arrangement(session, application, acknowledged=("host_manager",))
    session.commit()

    page = _home(web, me)

    assert f'<a href="/arrangements/{arrangement.id}#acknowledge">Read and acknowledge the arrangement for “Data sprint”' in page
    assert "Waiting on: You, to acknowledge the arrangement; " in page and "(home manager)" in page
    tracker = web.get("/applications").get_data(as_text=True)
    assert "Waiting on</dt><dd>You, to acknowledge" in tracker


def test_participations_to_mark_complete_follow_the_completion_guards_dates(web, session, me):
    ended = factories.ended(factories.open_opportunity(session, me, title="Finished work", positions=2))
    done = factories.application(session, ended, state="confirmed")
    future = factories.open_opportunity(session, me, title="Future work")
    factories.application(session, future, state="confirmed")
    session.commit()

    page = _home(web, me)

    assert f'<a href="/opportunities/{ended.id}/applicants">Mark {done.applicant.name}’s participation' in page
    assert "Future work” complete" not in page


def test_feedback_to_give_on_each_side_goes_when_given(web, session, me, make_user):
    host = make_user(name="Olive Owner")
    mine = factories.application(session, factories.opportunity(session, host, state="completed", title="Took part"),
                                 me, state="completed")
    hosted = factories.application(session, factories.opportunity(session, me, state="completed", title="Hosted"),
                                   state="completed")
    session.add(Feedback(application_id=hosted.id, author_role="owner", author_id=me.id, rating=5))
    session.commit()

    page = _home(web, me)

    assert f'<a href="/applications/{mine.id}/feedback">How did “Took part” go?</a>' in page
    assert f"/applications/{hosted.id}/feedback" not in page


def _world(session, me, make_user, size: int) -> None:
    """`size` of every kind of item waiting on `me`."""
    for n in range(size):
        poster = make_user()
        factories.opportunity(session, poster, state="approval", approving_manager_email=me.email)
        staff = make_user(supervisor=("Grace Liu", me.email))
        factories.application(session, factories.open_opportunity(session, poster), staff, state="manager_approval")
        factories.application(session, factories.open_opportunity(session, me), state="applied")
        confirmed = factories.application(session, factories.open_opportunity(session, poster), me, state="confirmed")
        factories.arrangement(session, confirmed)
        factories.application(session, factories.ended(factories.open_opportunity(session, me)), state="confirmed")
        factories.application(session, factories.opportunity(session, poster, state="completed"), me,
                              state="completed")
    session.commit()


def test_the_list_takes_the_same_number_of_statements_whatever_the_data(web, session, me, make_user):
    sign_in(web, me)
    _world(session, me, make_user, 1)
    with statements.recorded(this_thread_only=True) as few:
        small = web.get("/").get_data(as_text=True)
    _world(session, me, make_user, 4)
    with statements.recorded(this_thread_only=True) as many:
        large = web.get("/").get_data(as_text=True)

    assert small.count("Approve or decline") == 1 and large.count("Approve or decline") == 5
    assert len(few) == len(many)
