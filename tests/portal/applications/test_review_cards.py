"""The applicants list keeps each applicant's card (portal/cards.py): a second look renders none, a change to what a
card shows is on the next request, and the forms in a kept card carry the token of the person looking now."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from portal import cards
from portal.models import Application, User
from tests.conftest import sign_in
from tests.support import factories
from tests.support.web import Web

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def applicants(session, opening, applicant):
    opening.skills = factories.skills(session)[:3]
    applicant.skills = factories.skills(session)[:1]
    application = factories.application(session, opening, applicant, statement="I have built three dashboards.")
    session.commit()
    return [application]


def _cards(web, opening) -> str:
    page = web.get(f"/opportunities/{opening.id}/applicants").get_data(as_text=True)
    return page[page.index('<p id="applicants-shown">'):page.index("</main>")]


def _not_rendered(*_args, **_kwargs):
    raise AssertionError("the card was rendered again")


def test_a_second_look_renders_no_card(web, signed_in, owner, opening, applicants, kept_cards, monkeypatch):
    signed_in(owner)
    first = _cards(web, opening)
    assert kept_cards.count("applicant") == 1 and "three dashboards" in first and "1 of 3 skills" in first

    monkeypatch.setattr(cards, "render", _not_rendered)

    assert TOKEN.sub("", _cards(web, opening)) == TOKEN.sub("", first)


def test_a_kept_cards_forms_carry_the_token_of_who_is_looking(web, app, signed_in, owner, opening, applicants,
                                                             make_user, session, kept_cards):
    """Two people of different agencies and roles (the owner, and an agency admin of the host agency) share the
    kept card; each gets their own token in it, and the form works."""
    admin = make_user(name="Ada Admin", email="ada.admin@dta.gov.au")
    admin.admin_of = [opening.host_agency]
    session.commit()
    signed_in(owner)
    owners = _cards(web, opening)
    owner_token = web.token
    other = Web(app.test_client())  # another browser
    sign_in(other, admin)
    admins = _cards(other, opening)

    assert kept_cards.count("applicant") == 1
    assert set(TOKEN.findall(owners)) == {owner_token} and set(TOKEN.findall(admins)) == {other.token}
    assert owner_token != other.token and TOKEN.sub("", owners) == TOKEN.sub("", admins)
    assert other.post(f"/applications/{applicants[0].id}/shortlist",
                    {"csrf_token": TOKEN.findall(admins)[0], "version": "1"}).status_code == 302


def test_a_change_to_what_a_card_shows_is_on_the_next_request(web, signed_in, owner, opening, applicants,
                                                               applicant, session):
    signed_in(owner)
    before = _cards(web, opening)
    assert "Select Ari Applicant" in before

    session.execute(update(User).where(User.id == applicant.id).values(name="Ari Renamed", job_title="Analyst"))
    session.execute(update(Application).where(Application.id == applicants[0].id).values(
        state="shortlisted", version=2))
    session.commit()
    after = _cards(web, opening)

    assert "Ari Renamed" in after and "Analyst" in after and "Shortlisted" in after
    assert "Shortlist Ari" not in after and "Select Ari Renamed" in after

    session.execute(update(Application).where(Application.id == applicants[0].id).values(state="confirmed"))
    session.commit()
    assert "Select Ari Renamed" not in _cards(web, opening)


def test_the_counts_and_filter_above_the_cards_follow_a_new_application(web, signed_in, owner, opening, applicants,
                                                                        make_user, session, kept_cards):
    """Kept too (for exactly what they show); one more application is a new key, so the next request counts it."""
    signed_in(owner)
    assert "1 application ·" in web.get(f"/opportunities/{opening.id}/applicants").get_data(as_text=True)
    assert kept_cards.count("applicants-head") == 1
    factories.application(session, opening, make_user())
    session.commit()
    page = web.get(f"/opportunities/{opening.id}/applicants").get_data(as_text=True)
    assert "2 applications ·" in page and "Everyone (2)" in page and kept_cards.count("applicants-head") == 2
