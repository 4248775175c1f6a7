"""New dates after confirmation go back to the home manager: nothing new is issued until they agree; a decline keeps
the agreed dates; a newer edit replaces an unanswered request. And acknowledging the arrangement signed in."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.applications import queries
from portal.participation import date_changes
from portal.extensions import db as database
from portal.models import Acknowledgement, Application, Arrangement, DateChange
from portal.opportunities import services as opportunities
from tests.support.applying import eventually, link_in
from tests.support import factories
from workflows import Actor

MANAGER = "hana.manager@dta.gov.au"


@pytest.fixture
def opening(session, owner):
    """Two positions: with one filled the opportunity stays open, so its owner can still edit it (a matched one
    cannot be edited)."""
    found = factories.open_opportunity(session, owner, positions=2)
    session.commit()
    return found


@pytest.fixture
def confirmed(web, selected, mailbox, session):
    path = link_in(mailbox.wait_for_to(MANAGER, "Please approve"), "/applications/decision/")
    web.get(path)
    web.post(path, {"decision": "approve"})
    session.refresh(selected)
    assert selected.state == "confirmed"
    assert eventually(lambda: database.session.scalar(select(Arrangement)))
    return selected


def _versions(application_id: int) -> list[int]:
    database.session.rollback()
    return list(database.session.scalars(select(Arrangement.version).where(
        Arrangement.application_id == application_id).order_by(Arrangement.version)))


def _edit(session, application: Application, **values):
    """The owner edits the opportunity through the same service as the edit page."""
    opportunity = session.merge(application.opportunity)
    owner = opportunity.owner
    opportunities.edit(session, opportunity, Actor(frozenset({"owner"}), user_id=owner.id, label=owner.email),
                       {"host_agency_id": opportunity.host_agency_id, **values}, [s.id for s in opportunity.skills],
                       owner)
    session.commit()
    return opportunity


def _reapproved(session, application: Application) -> None:
    """A date edit sends an open opportunity back for approval; its approving manager approved it again."""
    session.get(Application, application.id).opportunity.state = "open"
    session.commit()


def _moved(application: Application, days: int = 7) -> dict:
    o = application.opportunity
    return {"start_date": o.start_date + timedelta(days=days), "end_date": o.end_date + timedelta(days=days)}


def test_new_dates_wait_for_the_home_manager_and_no_new_version_goes_out(web, confirmed, session, mailbox, as_user,
                                                                         applicant):
    original_start = confirmed.opportunity.start_date
    opportunity = _edit(session, confirmed, **_moved(confirmed))

    change = session.scalar(select(DateChange))
    assert (change.state, change.start_date, change.agreed_start_date) == ("pending", opportunity.start_date,
                                                                           original_start)
    request = mailbox.wait_for_to(MANAGER, "New dates for Ari Applicant")
    assert link_in(request, "/applications/date-change/")
    mailbox.wait_for_to("ari.applicant@ato.gov.au", "New dates waiting for your home manager")
    assert _versions(confirmed.id) == [1]
    as_user(applicant)
    page = web.get("/applications").get_data(as_text=True)
    assert "New dates waiting for your home manager" in page
    assert f"Proposed: {opportunity.start_date.strftime('%-d %B %Y')}" in page


def test_the_host_sees_the_change_waiting_on_the_applicants_page(web, confirmed, session, as_user, owner):
    _edit(session, confirmed, commitment_amount=8)
    as_user(owner)
    page = web.get(f"/opportunities/{confirmed.opportunity_id}/applicants").get_data(as_text=True)
    assert "New dates waiting for the home manager, Hana Manager" in page and "8 hours a week" in page


def test_agreeing_by_link_issues_version_two_with_the_new_dates(web, confirmed, session, mailbox):
    opportunity = _edit(session, confirmed, **_moved(confirmed))
    path = link_in(mailbox.wait_for_to(MANAGER, "New dates for"), "/applications/date-change/")
    web.post("/sign-out")

    assert "Do you agree to the new dates" in web.get(path).get_data(as_text=True)
    response = web.post(path, {"decision": "agree"})

    assert response.status_code == 200 and "You agreed to the new dates" in response.get_data(as_text=True)
    assert eventually(lambda: _versions(confirmed.id) == [1, 2])
    second = session.scalar(select(Arrangement).where(Arrangement.version == 2))
    assert (second.start_date, second.end_date) == (opportunity.start_date, opportunity.end_date)
    assert session.scalar(select(DateChange)).arrangement_id == second.id
    mailbox.wait_for_to("olive.owner@dta.gov.au", "New dates agreed")
    assert mailbox.wait_for_to("ari.applicant@ato.gov.au", "(version 2)")
    assert web.post(path, {"decision": "agree"}).status_code == 410  # the link worked once


def test_declining_keeps_the_agreed_dates_and_tells_the_participant_and_host(web, confirmed, session, mailbox,
                                                                            as_user, applicant):
    _edit(session, confirmed, **_moved(confirmed))
    path = link_in(mailbox.wait_for_to(MANAGER, "New dates for"), "/applications/date-change/")
    web.get(path)

    response = web.post(path, {"decision": "decline", "comment": "Not during the budget."})

    assert "You kept the agreed dates" in response.get_data(as_text=True)
    change = session.scalar(select(DateChange))
    session.refresh(change)
    assert (change.state, change.comment) == ("declined", "Not during the budget.")
    host = mailbox.wait_for_to("olive.owner@dta.gov.au", "New dates not agreed")
    assert "mark the participation complete early" in host.get_body(("plain",)).get_content()
    mailbox.wait_for_to("ari.applicant@ato.gov.au", "New dates not agreed")
    assert _versions(confirmed.id) == [1]
    as_user(applicant)
    assert "New dates waiting" not in web.get("/applications").get_data(as_text=True)


def test_a_newer_edit_replaces_an_unanswered_request(web, confirmed, session, mailbox):
    original = (confirmed.opportunity.start_date, confirmed.opportunity.end_date)
    _edit(session, confirmed, **_moved(confirmed, 7))
    first = link_in(mailbox.wait_for_to(MANAGER, "New dates for"), "/applications/date-change/")
    mailbox.clear()
    _reapproved(session, confirmed)
    _edit(session, confirmed, **_moved(confirmed, 7))

    changes = session.scalars(select(DateChange).order_by(DateChange.id)).all()
    assert [c.state for c in changes] == ["withdrawn", "pending"]
    assert (changes[1].agreed_start_date, changes[1].agreed_end_date) == original  # still what was agreed
    response = web.post(first, {"decision": "agree"})
    assert response.status_code == 409 and "These dates were replaced" in response.get_data(as_text=True)


def test_changing_the_dates_back_needs_no_answer(web, confirmed, session, mailbox):
    original = {"start_date": confirmed.opportunity.start_date, "end_date": confirmed.opportunity.end_date}
    _edit(session, confirmed, **_moved(confirmed))
    _reapproved(session, confirmed)
    _edit(session, confirmed, **original)

    assert [c.state for c in session.scalars(select(DateChange))] == ["withdrawn"]
    assert "New dates waiting" not in web.get("/applications").get_data(as_text=True)


def test_a_home_manager_with_an_account_answers_from_their_to_do_list(web, confirmed, session, as_user, make_user,
                                                                      mailbox):
    _edit(session, confirmed, **_moved(confirmed))
    change = session.scalar(select(DateChange))
    as_user(make_user(name="Hana Manager", email=MANAGER))

    home = web.get("/").get_data(as_text=True)
    assert f'href="/date-changes/{change.id}">Agree to or decline new dates for Ari Applicant' in home
    web.get(f"/date-changes/{change.id}")
    response = web.post(f"/date-changes/{change.id}", {"decision": "agree"})

    assert response.status_code == 302
    assert eventually(lambda: _versions(confirmed.id) == [1, 2])
    assert "todo-date-changes" not in web.get("/").get_data(as_text=True)


def test_only_the_home_manager_and_admins_may_answer_signed_in(web, confirmed, session, as_user, applicant, owner,
                                                               make_user):
    _edit(session, confirmed, **_moved(confirmed))
    change = session.scalar(select(DateChange))
    for person in (applicant, owner, make_user()):
        as_user(person)
        assert web.get(f"/date-changes/{change.id}").status_code == 404
        assert web.post(f"/date-changes/{change.id}", {"decision": "agree"}).status_code == 404
    session.refresh(change)
    assert change.state == "pending"


def test_new_dates_for_a_participation_that_ended_need_no_answer(web, confirmed, session, mailbox):
    _edit(session, confirmed, **_moved(confirmed))
    path = link_in(mailbox.wait_for_to(MANAGER, "New dates for"), "/applications/date-change/")
    application = session.get(Application, confirmed.id)
    application.state = "withdrawn"
    session.commit()

    response = web.post(path, {"decision": "agree"})

    assert response.status_code == 409 and "No answer needed" in response.get_data(as_text=True)
    assert session.scalar(select(DateChange)).state == "pending"
    assert session.scalars(select(DateChange)).all() and not queries.pending_date_changes(session, [confirmed.id])


# ---- acknowledging signed in ----------------------------------------------------------------------------------

def _owed(session, party: str) -> Acknowledgement:
    return session.scalar(select(Acknowledgement).where(Acknowledgement.party == party))


def test_a_party_acknowledges_signed_in_and_the_link_then_says_already(web, confirmed, session, as_user, applicant,
                                                                       mailbox):
    link = link_in(mailbox.wait_for_to("ari.applicant@ato.gov.au", "Informal arrangement"), "/arrangements/acknowledge/")
    ack = _owed(session, "participant")
    as_user(applicant)
    home = web.get("/").get_data(as_text=True)
    assert f'href="/arrangements/{ack.arrangement_id}#acknowledge"' in home
    page = web.get(f"/arrangements/{ack.arrangement_id}").get_data(as_text=True)
    assert f'action="/acknowledgements/{ack.id}"' in page

    response = web.post(f"/acknowledgements/{ack.id}")

    assert response.status_code == 302
    session.refresh(ack)
    assert ack.acknowledged_at is not None
    assert f'action="/acknowledgements/{ack.id}"' not in web.get(f"/arrangements/{ack.arrangement_id}").get_data(
        as_text=True)
    again = web.post(f"/acknowledgements/{ack.id}")
    assert again.status_code == 409 and "already acknowledged" in again.get_data(as_text=True)
    web.post("/sign-out")
    web.get(link)
    by_link = web.post(link)
    assert by_link.status_code == 409 and "already acknowledged" in by_link.get_data(as_text=True)


def test_nobody_acknowledges_for_another_party(web, confirmed, session, as_user, owner, applicant):
    ack = _owed(session, "participant")
    as_user(owner)
    assert web.post(f"/acknowledgements/{ack.id}").status_code == 404
    session.refresh(ack)
    assert ack.acknowledged_at is None


def test_the_home_manager_with_an_account_acknowledges_signed_in(web, confirmed, session, as_user, make_user):
    ack = _owed(session, "home_manager")
    as_user(make_user(name="Hana Manager", email=MANAGER))
    assert web.post(f"/acknowledgements/{ack.id}").status_code == 302
    session.refresh(ack)
    assert ack.acknowledged_at is not None


def test_a_replaced_version_needs_no_acknowledgement(web, confirmed, session, as_user, applicant):
    old = _owed(session, "participant")
    factories.arrangement(session, session.get(Application, confirmed.id), version=2)
    session.commit()
    as_user(applicant)
    response = web.post(f"/acknowledgements/{old.id}")
    assert response.status_code == 409 and "no longer the one in force" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Acknowledgement).where(
        Acknowledgement.acknowledged_at.is_not(None))) == 0
