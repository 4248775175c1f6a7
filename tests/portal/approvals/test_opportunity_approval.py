"""Submitting for approval, and the approving manager's decision by signed link or in the portal queue."""
from __future__ import annotations

import re
import time
from datetime import timedelta

from itsdangerous.timed import TimestampSigner
from sqlalchemy import select

from portal.models import AuditEvent, Opportunity
from tests.support import factories
from tests.support.smtp import text_of
from workflows import clock

LINK = re.compile(r"http://127\.0\.0\.1:\d+(/approvals/link/[\w.\-]+)")
MANAGER = "morgan.manager@example.gov.au"


def submitted(web, session, signed_in, mailbox, **fields):
    """An opportunity submitted through the portal; returns it and the path of the manager's link."""
    owner = signed_in()
    opportunity = factories.opportunity(session, owner, **fields)
    session.commit()
    response = web.submit(f"/opportunities/{opportunity.id}/submit",
                          {"approving_manager_name": "Morgan Manager", "approving_manager_email": MANAGER})
    assert response.status_code == 302, response.get_data(as_text=True)
    message = mailbox.wait_for_to(MANAGER, "Please approve")
    return opportunity, LINK.search(text_of(message)).group(1)


def test_submit_form_is_prefilled_with_the_creators_supervisor(web, session, signed_in):
    owner = signed_in(supervisor=("Pat Boss", "pat.boss@example.gov.au"))
    opportunity = factories.opportunity(session, owner, approving_manager_name=None, approving_manager_email=None)
    session.commit()
    page = web.get(f"/opportunities/{opportunity.id}/submit").get_data(as_text=True)
    assert 'value="pat.boss@example.gov.au"' in page and 'value="Pat Boss"' in page


def test_an_incomplete_opportunity_cannot_be_submitted(web, session, signed_in):
    owner = signed_in()
    opportunity = factories.opportunity(session, owner, summary="", skills=[])
    session.commit()
    response = web.submit(f"/opportunities/{opportunity.id}/submit",
                          {"approving_manager_name": "Morgan Manager", "approving_manager_email": MANAGER})
    assert response.status_code == 422
    assert "a summary" in response.get_data(as_text=True)
    session.refresh(opportunity)
    assert opportunity.state == "draft"


def test_owner_cannot_name_themselves_as_approving_manager(web, session, signed_in):
    owner = signed_in()
    opportunity = factories.opportunity(session, owner)
    session.commit()
    response = web.submit(f"/opportunities/{opportunity.id}/submit",
                          {"approving_manager_name": "Me", "approving_manager_email": owner.email})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="approving_manager_email-error"' in page and "Someone other than you" in page
    session.refresh(opportunity)
    assert opportunity.state == "draft"


def test_submitting_tells_the_manager_and_the_creator(web, session, signed_in, mailbox):
    opportunity, path = submitted(web, session, signed_in, mailbox)
    session.refresh(opportunity)
    assert opportunity.state == "approval"
    mailbox.wait_for_to(opportunity.owner.email, "Submitted for approval")


def test_manager_approves_from_the_e_mail_link_without_an_account(web, session, signed_in, mailbox, client):
    opportunity, path = submitted(web, session, signed_in, mailbox)
    web.post("/sign-out")
    page = web.get(path)
    assert page.status_code == 200 and opportunity.title in page.get_data(as_text=True)
    response = web.post(path, {"decision": "approve"})
    assert response.status_code == 200 and "approved" in response.get_data(as_text=True)
    session.refresh(opportunity)
    assert opportunity.state == "open" and opportunity.approved_at is not None
    mailbox.wait_for_to(opportunity.owner.email, "Approved and open")
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "approve"))
    assert "e-mail link" in event.actor_label


def test_the_approval_link_works_only_once(web, session, signed_in, mailbox):
    opportunity, path = submitted(web, session, signed_in, mailbox)
    web.get(path)
    web.post(path, {"decision": "approve"})
    again = web.get(path)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True)


def test_an_expired_approval_link_shows_a_clear_page(web, session, signed_in, mailbox, monkeypatch):
    opportunity, path = submitted(web, session, signed_in, mailbox)
    eight_days_on = int(time.time()) + 8 * 86400
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: eight_days_on)
    response = web.get(path)
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)
    session.refresh(opportunity)
    assert opportunity.state == "approval"


def test_asking_for_changes_needs_a_comment(web, session, signed_in, mailbox):
    opportunity, path = submitted(web, session, signed_in, mailbox)
    web.get(path)
    response = web.post(path, {"decision": "request_changes", "comment": ""})
    assert response.status_code == 422
    assert 'id="comment-error"' in response.get_data(as_text=True)
    session.refresh(opportunity)
    assert opportunity.state == "approval"


def test_changes_requested_returns_the_draft_and_tells_the_creator_why(web, session, signed_in, mailbox):
    opportunity, path = submitted(web, session, signed_in, mailbox)
    web.get(path)
    web.post(path, {"decision": "request_changes", "comment": "Say how many hours a week."})
    session.refresh(opportunity)
    assert opportunity.state == "draft"
    message = mailbox.wait_for_to(opportunity.owner.email, "Changes requested")
    assert "Say how many hours a week." in text_of(message)


def test_rejecting_tells_the_creator_the_reason(web, session, signed_in, mailbox):
    opportunity, path = submitted(web, session, signed_in, mailbox)
    web.get(path)
    web.post(path, {"decision": "reject", "comment": "Not a good fit for the programme."})
    session.refresh(opportunity)
    assert opportunity.state == "rejected"
    assert "Not a good fit" in text_of(mailbox.wait_for_to(opportunity.owner.email, "Not approved"))


def test_a_link_from_before_a_resubmission_no_longer_works(web, session, signed_in, mailbox):
    opportunity, path = submitted(web, session, signed_in, mailbox)
    web.get(path)
    web.post(path, {"decision": "request_changes", "comment": "Fix the dates."})
    web.submit(f"/opportunities/{opportunity.id}/submit",
               {"approving_manager_name": "Morgan Manager", "approving_manager_email": MANAGER})
    assert web.get(path).status_code == 410


def test_the_link_says_it_is_no_longer_needed_once_the_opportunity_is_decided_in_the_portal(
        web, session, signed_in, mailbox):
    opportunity, path = submitted(web, session, signed_in, mailbox)
    web.post("/sign-out")
    signed_in(email=MANAGER)
    web.submit(f"/approvals/{opportunity.id}", {"decision": "approve"})
    web.post("/sign-out")

    response = web.get(path)

    assert response.status_code == 409 and "This link is no longer needed" in response.get_data(as_text=True)
    assert web.post(path, {"decision": "reject", "comment": "Too late."}).status_code == 409
    session.refresh(opportunity)
    assert opportunity.state == "open"


def test_approving_manager_sees_and_decides_in_the_portal_queue(web, session, make_user, signed_in, mailbox):
    owner = make_user()
    opportunity = factories.opportunity(session, owner, state="approval")
    session.commit()
    signed_in(email=MANAGER)
    page = web.get("/approvals").get_data(as_text=True)
    assert opportunity.title in page
    response = web.submit(f"/approvals/{opportunity.id}", {"decision": "approve"})
    assert response.status_code == 302
    session.refresh(opportunity)
    assert opportunity.state == "open"


def test_agency_admin_sees_pending_approvals_oldest_first_with_escalation(web, session, make_user, signed_in):
    owner = make_user()
    dta = factories.agency(session, "DTA")
    newer = factories.opportunity(session, owner, state="approval", title="Newer one")
    older = factories.opportunity(session, owner, state="approval", title="Older one")
    older.submitted_at = clock.utcnow() - timedelta(days=14)
    older.escalated_at = clock.utcnow()
    session.commit()
    signed_in(admin_of=[dta])
    page = web.get("/approvals").get_data(as_text=True)
    assert page.index("Older one") < page.index("Newer one")
    assert "Escalated" in page
    assert newer.title in page


def test_someone_unrelated_cannot_decide(web, session, make_user, signed_in):
    opportunity = factories.opportunity(session, make_user(), state="approval")
    session.commit()
    signed_in()
    assert web.get(f"/approvals/{opportunity.id}").status_code == 404
    assert session.get(Opportunity, opportunity.id).state == "approval"


def test_agency_admin_can_approve_from_the_queue(web, session, make_user, signed_in, mailbox):
    opportunity = factories.opportunity(session, make_user(), state="approval")
    session.commit()
    signed_in(admin_of=[factories.agency(session, "DTA")])
    response = web.submit(f"/approvals/{opportunity.id}", {"decision": "reject", "comment": "Duplicate posting."})
    assert response.status_code == 302
    session.refresh(opportunity)
    assert opportunity.state == "rejected"
    assert "Duplicate posting." in text_of(mailbox.wait_for_to(opportunity.owner.email, "Not approved"))


def test_federal_manager_who_owns_a_contractors_post_approves_it_in_the_portal(web, session, make_user, signed_in):
    manager = make_user(email="fed.manager@example.gov.au")
    contractor = make_user(contractor=True)
    opportunity = factories.opportunity(session, contractor, state="approval",
                                        approving_manager_email="fed.manager@example.gov.au")
    opportunity.owner = manager
    opportunity.coowners.append(contractor)
    session.commit()
    signed_in(manager)
    assert web.submit(f"/approvals/{opportunity.id}", {"decision": "approve"}).status_code == 302
    session.refresh(opportunity)
    assert opportunity.state == "open"
