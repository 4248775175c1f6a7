"""My applications keeps each card it rendered (portal/applications/tracker.py): a second look renders nothing, any
change to what a card shows is on the next request, however it was made, and one person's cards never reach
another."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest
from markupsafe import Markup
from sqlalchemy import delete, select, update

from portal import cards
from portal.applications import tracker
from portal.extensions import db as database
from portal.models import Acknowledgement, Application, Arrangement, AuditEvent, Certificate, DateChange, Opportunity, User
from tests.support.applying import apply_form, eventually, link_in


@pytest.fixture(autouse=True)
def kept(kept_cards) -> cards.CardCache:
    return kept_cards


def _cards(web) -> str:
    """The page's list of cards (the header around it carries per-request tokens)."""
    page = web.get("/applications").get_data(as_text=True)
    return page[page.index("<h2>Applications</h2>"):page.index("</main>")]


def _not_rendered(*_args, **_kwargs):
    raise AssertionError("the card was rendered again")


def test_a_second_look_is_served_from_the_kept_cards(web, applied, as_user, applicant, kept, monkeypatch):
    as_user(applicant)
    first = _cards(web)
    assert kept.count("application") == 1

    monkeypatch.setattr(tracker, "my_applications", _not_rendered)

    assert _cards(web) == first


def test_a_change_made_outside_the_web_app_shows_on_the_next_request(web, applied, as_user, applicant, owner,
                                                                      session):
    """Bulk UPDATEs, as a sweep or another process would make them: no hook, no invalidation, just a new key."""
    as_user(applicant)
    assert "Build a service dashboard" in _cards(web) and "Olive Owner" in _cards(web)

    session.execute(update(Opportunity).where(Opportunity.id == applied.opportunity_id).values(
        title="Build a better dashboard", start_date=date(2027, 3, 1), end_date=date(2027, 5, 28)))
    session.execute(update(User).where(User.id == owner.id).values(name="Olive Host"))
    session.commit()
    cards = _cards(web)

    assert "Build a better dashboard" in cards and "Build a service dashboard" not in cards
    assert "1 March 2027" in cards and "Olive Host" in cards and "Olive Owner" not in cards


def test_a_step_in_the_workflow_shows_with_its_timeline(web, applied, as_user, applicant, owner):
    as_user(applicant)
    before = _cards(web)
    assert before.count("<time") == 1

    as_user(owner)
    web.get(f"/opportunities/{applied.opportunity_id}/applicants")
    assert web.post(f"/applications/{applied.id}/shortlist").status_code == 302
    as_user(applicant)
    after = _cards(web)

    assert after.count("<time") == 2 and "Shortlisted" in after


def test_a_removed_event_shows_too(web, selected, as_user, applicant, session):
    as_user(applicant)
    assert _cards(web).count("<time") == 3

    oldest = session.scalar(select(AuditEvent.id).where(AuditEvent.record_type == "application",
                                                        AuditEvent.record_id == selected.id).order_by(AuditEvent.id))
    session.execute(delete(AuditEvent).where(AuditEvent.id == oldest))
    session.commit()

    assert _cards(web).count("<time") == 2


def test_home_manager_messages_and_new_dates_show(web, selected, as_user, applicant, session):
    as_user(applicant)
    _cards(web)

    session.execute(update(Application).where(Application.id == selected.id).values(
        state="confirmed", manager_comment="Go for it", manager_conditions="Fridays only"))
    session.commit()
    cards = _cards(web)
    assert "Go for it" in cards and "Fridays only" in cards and "New dates waiting" not in cards

    session.add(DateChange(application_id=selected.id, start_date=date(2027, 2, 1), end_date=date(2027, 4, 30),
                           commitment_kind="hours_per_week", commitment_amount=15,
                           agreed_start_date=None, agreed_end_date=None, agreed_commitment_kind="hours_per_week",
                           agreed_commitment_amount=7))
    session.commit()
    cards = _cards(web)
    assert "New dates waiting for your home manager" in cards and "1 February 2027" in cards


def test_acknowledgements_and_the_certificate_show(web, selected, as_user, applicant, mailbox, session):
    path = link_in(mailbox.wait_for_to("hana.manager@dta.gov.au", "Please approve"), "/applications/decision/")
    web.get(path)
    web.post(path, {"decision": "approve"})
    arrangement = eventually(lambda: database.session.scalar(select(Arrangement).where(
        Arrangement.application_id == selected.id)))
    as_user(applicant)
    cards = _cards(web)
    assert "Informal arrangement (version 1)" in cards and "You, to acknowledge the arrangement" in cards

    session.execute(update(Acknowledgement).where(Acknowledgement.arrangement_id == arrangement.id,
                                                  Acknowledgement.party == "participant")
                    .values(acknowledged_at=datetime.now(timezone.utc)))
    session.commit()
    cards = _cards(web)
    assert "You, to acknowledge the arrangement" not in cards and "(home manager)" in cards

    session.execute(update(Acknowledgement).where(Acknowledgement.arrangement_id == arrangement.id,
                                                  Acknowledgement.party == "home_manager").values(name="Removed"))
    session.commit()
    assert "Removed (home manager)" in _cards(web)

    assert "Completion certificate" not in cards
    session.add(Certificate(application_id=selected.id, reference="OAO-C-TEST"))
    session.commit()
    assert "Completion certificate" in _cards(web)


@pytest.fixture
def second_applicant(make_user):
    return make_user(name="Bo Builder", email="bo.builder@finance.gov.au",
                     supervisor=("Mia Supervisor", "mia.supervisor@finance.gov.au"))


def test_one_persons_cards_never_reach_another(web, applied, as_user, applicant, second_applicant, opening, kept):
    """Two people who applied for the same opportunity, from different agencies, each with their own home manager:
    each sees only their own card, however warm the cache."""
    as_user(second_applicant)
    assert web.submit(f"/opportunities/{opening.id}/apply", apply_form(
        home_manager_name="Mia Supervisor", home_manager_email="mia.supervisor@finance.gov.au")).status_code == 302
    theirs = _cards(web)
    as_user(applicant)
    mine = _cards(web)
    as_user(second_applicant)
    theirs_again = _cards(web)

    assert kept.count("application") == 2
    assert "Mia Supervisor" in theirs and "Hana Manager" not in theirs and theirs_again == theirs
    assert "Hana Manager" in mine and "Mia Supervisor" not in mine
    assert mine.count('class="card application"') == theirs.count('class="card application"') == 1


def test_the_kept_cards_are_bounded_and_the_least_recently_used_goes_first():
    kept = cards.CardCache(size=2)
    kept.put(("a",), Markup("1"))
    kept.put(("b",), Markup("2"))
    assert kept.get(("a",)) == "1"  # now the most recently used

    kept.put(("c",), Markup("3"))

    assert len(kept) == 2 and kept.get(("b",)) is None and kept.get(("a",)) == "1" and kept.get(("c",)) == "3"


def test_without_applications_nothing_is_kept(web, signed_in, kept):
    signed_in()
    assert "not applied for anything yet" in _cards(web)
    assert kept.count("application") == 0



def test_a_card_holding_this_requests_form_token_is_refused(app, kept):
    """Cards are shared between people: one rendered with a real token instead of the placeholder would hand one
    person's token to the next, so it is refused before it is kept."""
    from flask_wtf.csrf import generate_csrf

    with app.test_request_context("/"):
        token = generate_csrf()
        with pytest.raises(RuntimeError, match="TOKEN_PLACEHOLDER"):
            cards.fragment(cards.key("test-card"), lambda: Markup(f'<input name="csrf_token" value="{token}">'))
        assert cards.fragment(cards.key("test-card"), lambda: Markup(cards.TOKEN_PLACEHOLDER)) == \
            cards.TOKEN_PLACEHOLDER
    assert len(kept) == 1


def test_a_session_keeps_one_signed_token_and_a_new_session_gets_its_own(app, make_user):
    """Flask-WTF's token is signed once a session (cards.request_token): the next page carries the same one, it
    still passes the CSRF check, and another browser's session has a different one."""
    from tests.conftest import sign_in
    from tests.support.web import Web

    first, second = Web(app.test_client()), Web(app.test_client())
    sign_in(first, make_user())
    sign_in(second, make_user())
    tokens = [re.findall(r'name="csrf_token" value="([^"]+)"', web.get("/opportunities").get_data(as_text=True))
              for web in (first, first, second)]
    assert tokens[0] and tokens[0] == tokens[1] and not set(tokens[0]) & set(tokens[2])
    assert first.client.post("/sign-out", data={"csrf_token": tokens[1][0]}).status_code == 302


def test_with_a_time_limit_a_token_is_signed_when_it_is_used_never_kept(app, monkeypatch):
    from flask import session

    monkeypatch.setitem(app.config, "WTF_CSRF_TIME_LIMIT", 3600)
    with app.test_request_context("/"):
        session["csrf_token"] = "a session's secret"
        assert cards.request_token()
    assert cards._SIGNED_TOKENS.get((app.secret_key, "a session's secret")) is None
