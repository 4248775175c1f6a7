"""A record with a control character in every text field goes through its whole journey and every e-mail
arrives. The rows are written directly, past the forms (which refuse such characters now), as rows stored
before that did: the mail side must be robust on its own.

Run by `make test-reliability`: real `celery -A tasks worker --beat` processes, PostgreSQL, Redis, SMTP.
"""
from __future__ import annotations

import time

from sqlalchemy import func, select

from portal.applications import services as applications
from portal.extensions import db
from portal.models import Application, Opportunity, OutboxMessage, User
from portal.models.outbox import EMAIL
from portal.opportunities import records
from portal.opportunities import services as opportunities
from tests.support import factories

ONE_LINE = "\r\n\t\x0b\u202e\u200b"  # CR LF TAB VT, right-to-left override, zero-width space
MULTI_LINE = "\x07\u202e\x1b"  # PostgreSQL cannot hold NUL, so BEL and ESC stand in for the C0 controls


def _step(app, work) -> None:
    """One transaction in a request context (e-mails carry links), committed: the worker takes it from there."""
    settings = app.config["SETTINGS"]
    with app.test_request_context("/", base_url=settings.portal_base_url):
        with db.transaction() as session:
            work(session)


def _settled(timeout: float = 120) -> dict[str, int]:
    """Message counts by status once nothing is pending (jobs add e-mails as they run)."""
    deadline = time.monotonic() + timeout
    while True:
        with db.transaction() as session:
            counts = dict(session.execute(select(OutboxMessage.status, func.count())
                                          .group_by(OutboxMessage.status)).all())
        if not counts.get("pending") or time.monotonic() > deadline:
            return counts
        time.sleep(0.5)


def test_a_record_with_control_characters_in_every_text_field_goes_its_whole_way_and_every_email_arrives(
        app, worker, mailbox):
    worker.start()
    ids: dict[str, int] = {}

    def world(session) -> None:
        owner = factories.user(session, name=f"Olive{ONE_LINE}Owner", email="olive.owner@dta.gov.au")
        owner.job_title, owner.location = f"Lead{ONE_LINE}", f"Canberra{ONE_LINE}ACT"
        ari = factories.user(session, name=f"Ari{ONE_LINE}Applicant", email="ari.applicant@ato.gov.au")
        opportunity = factories.opportunity(
            session, owner, title=f"Data{ONE_LINE}Bcc: everyone@agency.gov.au", team=f"Team{ONE_LINE}A",
            location_city=f"Hobart{ONE_LINE}", contact_name=f"Sam{ONE_LINE}Contact", positions=1,
            summary=f"Help{MULTI_LINE} us", what_you_do=f"Build\n{MULTI_LINE}things",
            approving_manager_name=f"Max{ONE_LINE}Approver", approving_manager_email="max.approver@dta.gov.au")
        opportunities.submit(session, opportunity, records.actor_for(owner, opportunity))
        session.flush()
        ids.update(owner=owner.id, ari=ari.id, opportunity=opportunity.id)

    def approve_and_apply(session) -> None:
        opportunity = session.get(Opportunity, ids["opportunity"])
        opportunities.decide(session, opportunity, records.link_actor(opportunity), "approve", f"Yes{MULTI_LINE}")
        application = applications.create(
            session, session.get(User, ids["ari"]), opportunity, statement=f"Keen{MULTI_LINE}",
            relevant_skills=f"SQL{MULTI_LINE}", availability=f"Tuesdays{ONE_LINE}",
            home_manager_name=f"Hana{ONE_LINE}Manager", home_manager_email="hana.manager@ato.gov.au",
            cv_filename=None, cv_path=None)
        session.flush()
        ids["application"] = application.id

    def select_and_confirm(session) -> None:
        application = session.get(Application, ids["application"])
        owner = session.get(User, ids["owner"])
        applications.select_applicant(session, application, applications.actor_for(owner, application))
        applications.decide(session, application, applications.home_manager_actor(application), approve=True,
                            comment=f"Approved{MULTI_LINE}")

    def complete(session) -> None:
        opportunity = factories.ended(session.get(Opportunity, ids["opportunity"]))  # done before it is completed
        owner = session.get(User, ids["owner"])
        opportunities.complete_with_participants(session, opportunity, records.actor_for(owner, opportunity), owner,
                                                 [session.get(Application, ids["application"])])

    for step in (world, approve_and_apply, select_and_confirm):
        _step(app, step)
        _settled()
    _step(app, complete)
    counts = _settled()

    with db.transaction() as session:
        emails = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == EMAIL)).all()
        failed = [(m.template, m.last_error) for m in emails if m.status != "sent"]
        expected = sorted((m.recipient, m.template) for m in emails)
    assert failed == [] and counts.get("failed", 0) == 0
    assert {template for _, template in expected} >= {
        "opportunity_approval_request", "opportunity_approved", "application_received", "application_new",
        "home_manager_request", "application_confirmed", "arrangement", "opportunity_completed",
        "application_completed", "certificate"}
    arrived = mailbox.wait_for(lambda m: m["X-Portal-Template"] is not None, count=len(expected), timeout=60)
    assert sorted((str(m["To"]).split("<")[-1].rstrip(">"), m["X-Portal-Template"]) for m in arrived) == expected
    for message in arrived:
        assert "\n" not in message["Subject"] and "\u202e" not in message["Subject"], message["Subject"]
        assert message["Bcc"] is None
    approval = next(m for m in arrived if m["X-Portal-Template"] == "opportunity_approval_request")
    assert approval["Subject"] == "Please approve: Data Bcc: everyone@agency.gov.au"
    assert approval["To"] == "Max Approver <max.approver@dta.gov.au>"
