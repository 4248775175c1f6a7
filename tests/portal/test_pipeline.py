"""From a transition to its side effects: every effect comes from the transition table through the one recorder,
paperwork is a job (not an e-mail), and what runs sweeps and tasks is what the factory put together."""
from __future__ import annotations

from sqlalchemy import select

from portal import sweeps
from portal.applications import services as applications
from portal.models import OutboxMessage
from portal.opportunities import records
from portal.opportunities import services as opportunity_services
from portal.opportunities import sweeps as opportunity_sweeps
from tasks.celery_app import celery
from tests.support import factories

SWEEPS = {"opportunity-approval-reminders", "opportunity-approval-escalation", "opportunity-closing-soon",
          "opportunity-deadline-passed", "opportunity-expiry", "home-manager-reminders", "home-manager-lapse",
          "arrangement-acknowledgement-reminders", "completion-reminders", "participation-starts-tomorrow",
          "daily_digest", "saved_search_alerts", "dormant_accounts", "retention"}


def _application(session, state: str):
    owner = factories.user(session, name="Olive Owner")
    applicant = factories.user(session, name="Ari Applicant", supervisor=("Hana Manager", "hana.manager@example.gov.au"))
    opportunity = factories.open_opportunity(session, owner)
    return factories.report_application(session, opportunity, applicant, state=state)


def _queued(session, **where) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).filter_by(**where).order_by(OutboxMessage.id)))


def test_selecting_asks_the_home_manager_as_an_effect_of_the_table(session):
    application = _application(session, "shortlisted")
    host = applications.actor_for(application.opportunity.owner, application)
    applications.select_applicant(session, application, host)
    [request] = _queued(session, template="home_manager_request")
    assert request.recipient == "hana.manager@example.gov.au"
    assert request.context["recipient_role"] == "home_manager"
    assert "/applications/decision/" in request.context["link"]
    [told] = _queued(session, template="application_selected")
    assert told.recipient == application.applicant.email
    assert "link" not in told.context  # the signed decision link goes to the home manager only


def test_only_the_approving_manager_is_sent_the_signed_approval_link(session):
    owner = factories.user(session, name="Olive Owner")
    opportunity = factories.opportunity(session, owner, approving_manager_name="Morgan Manager",
                                        approving_manager_email="morgan.manager@example.gov.au")
    opportunity_services.submit(session, opportunity, records.actor_for(owner, opportunity))
    [request] = _queued(session, template="opportunity_approval_request")
    [submitted] = _queued(session, template="opportunity_submitted")
    assert request.recipient == "morgan.manager@example.gov.au" and "/approvals/" in request.context["approval_link"]
    assert "approval_link" not in submitted.context and "queue_link" not in submitted.context


def test_confirming_queues_the_arrangement_as_a_job_with_no_recipient(session):
    application = _application(session, "manager_approval")
    applications.decide(session, application, applications.home_manager_actor(application), approve=True,
                        comment=None)
    [job] = _queued(session, kind="job")
    assert (job.template, job.recipient, job.context) == ("render-arrangement", None, {"application_id": application.id})
    assert all(m.recipient for m in _queued(session, kind="email"))


def test_completing_queues_the_certificate_job_and_asks_the_host_for_feedback(session):
    application = _application(session, "confirmed")
    factories.ended(application.opportunity)
    applications.complete(session, application, applications.actor_for(application.opportunity.owner, application))
    assert [m.template for m in _queued(session, kind="job")] == ["render-certificate"]
    assert [m.recipient for m in _queued(session, template="feedback_request")] == [application.opportunity.owner.email]


def test_beat_runs_exactly_the_sweeps_the_factory_collected(app):
    assert set(app.extensions["sweeps"]) == SWEEPS
    assert set(celery.conf.beat_schedule) == {"relay-outbox"} | {f"sweep-{name}" for name in SWEEPS}


def test_collecting_a_module_finds_its_sweeps_and_nothing_is_registered_by_importing_it():
    found = sweeps.collect(opportunity_sweeps)
    assert found["opportunity-expiry"] is opportunity_sweeps.expiry
    assert set(found) == {name for name in SWEEPS if name.startswith("opportunity-")}
    assert not any(isinstance(value, dict) and value for name, value in vars(sweeps).items() if name.isupper())
