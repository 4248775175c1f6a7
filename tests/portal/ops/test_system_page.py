"""The system page: unsent messages with masked addresses and errors, "retry now" and "run now" (audited, one
run at a time), and when the worker and beat were last seen."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select, update

from portal.extensions import db
from portal.models import AuditEvent, BackgroundStatus, OutboxMessage
from portal.ops import background
from tests.conftest import sign_in
from tests.support import statements
from workflows import clock


def _message(session, n: int, status: str, to: str, error: str | None = None, minutes_old: int = 5) -> int:
    """A row inserted directly, so nothing hands it to delivery."""
    session.execute(insert(OutboxMessage), [{
        "template": "verify_email", "recipient": to, "recipient_name": "Sam Sample", "context": {"name": "Sam Sample",
        "link": "http://127.0.0.1/verify/x"}, "attachments": [], "idempotency_key": f"system-{n}", "status": status,
        "category": "account", "attempts": 3 if status != "pending" else 0, "last_error": error,
        "created_at": clock.utcnow() - timedelta(minutes=minutes_old)}])
    session.commit()
    return session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == f"system-{n}"))


def test_unsent_messages_are_listed_with_their_age_and_error_and_no_full_address(web, make_user, session):
    sign_in(web, make_user(site_admin=True))
    _message(session, 1, "pending", "pending.person@ato.gov.au", minutes_old=90)
    _message(session, 2, "failed", "failed.person@ato.gov.au", "SMTPDataError: failed.person@ato.gov.au refused")
    _message(session, 3, "bounced", "bounced.person@dss.gov.au", "{'bounced.person@dss.gov.au': (550, 'No such')}")

    page = web.get("/admin/system/").get_data(as_text=True)

    assert "Waiting to be sent: 1 (oldest 1 hour old)" in page and "Failed: 1" in page
    assert "p***@ato.gov.au" in page and "f***@ato.gov.au" in page and "b***@dss.gov.au" in page
    assert "SMTPDataError: f***@ato.gov.au refused" in page
    assert "person@" not in page
    assert page.count("Retry now") == 1  # only the failed one


def test_retry_now_sends_a_failed_message_again_and_is_audited(web, make_user, session, mailbox):
    admin = make_user(site_admin=True)
    sign_in(web, admin)
    failed = _message(session, 1, "failed", "sam.sample@ato.gov.au", "Unbuildable: missing name")
    web.get("/admin/system/")

    response = web.post(f"/admin/system/outbox/{failed}/retry")

    assert response.status_code == 302
    mailbox.wait_for_to("sam.sample@ato.gov.au")
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "retry"))
    assert (event.record_type, event.record_id, event.actor_id) == ("outbox_message", failed, admin.id)


def test_only_a_failed_message_can_be_retried(web, make_user, session):
    sign_in(web, make_user(site_admin=True))
    bounced = _message(session, 1, "bounced", "gone@ato.gov.au", "550")
    web.get("/admin/system/")

    response = web.post(f"/admin/system/outbox/{bounced}/retry")

    assert response.status_code == 409
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "retry")) is None


def test_run_now_runs_the_sweep_records_it_and_audits_it(web, make_user, session):
    admin = make_user(site_admin=True)
    sign_in(web, admin)
    web.get("/admin/system/")

    response = web.post("/admin/system/sweeps/opportunity-expiry/run")

    assert response.status_code == 302
    run = session.scalar(select(BackgroundStatus).where(BackgroundStatus.name == "opportunity-expiry"))
    assert (run.runs, run.last_items, run.running_since) == (1, 0, None) and run.last_finished_at is not None
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "run_now"))
    assert event.actor_id == admin.id and event.data["sweep"] == "opportunity-expiry"
    page = web.get("/admin/system/").get_data(as_text=True)
    assert "opportunity-expiry ran: 0 items." in page


def test_run_now_while_the_sweep_is_running_elsewhere_does_not_start_a_second_run(web, make_user, session):
    sign_in(web, make_user(site_admin=True))
    assert background.claim(db, "opportunity-expiry")  # beat's run, still going
    web.get("/admin/system/")

    web.post("/admin/system/sweeps/opportunity-expiry/run")

    page = web.get("/admin/system/").get_data(as_text=True)
    assert "opportunity-expiry is running already" in page
    session.expire_all()
    assert session.get(BackgroundStatus, "opportunity-expiry").runs == 0
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "run_now")) is None


def test_a_claim_left_by_a_crashed_run_lapses_after_an_hour(session):
    assert background.claim(db, "opportunity-expiry")
    assert not background.claim(db, "opportunity-expiry")
    with clock.moved_by(timedelta(minutes=61)):
        assert background.claim(db, "opportunity-expiry")


def test_worker_and_beat_last_seen(web, make_user, session, monkeypatch):
    sign_in(web, make_user(site_admin=True))
    monkeypatch.setattr(background, "_last_beat", {})
    background.heartbeat(db, "worker")
    session.execute(update(BackgroundStatus).where(BackgroundStatus.name == "worker")
                    .values(last_finished_at=clock.utcnow() - timedelta(minutes=3)))
    session.commit()

    page = web.get("/admin/system/").get_data(as_text=True)

    assert "Last seen 3 minutes ago" in page and "Never seen" in page  # beat has not run here


def test_the_page_answers_in_two_statements_after_the_signed_in_person(web, make_user, session):
    sign_in(web, make_user(site_admin=True))
    for n, status in enumerate(("pending", "failed", "bounced", "failed")):
        _message(session, n, status, f"p{n}@ato.gov.au", "refused")
    background.claim(db, "opportunity-expiry")

    with statements.recorded(this_thread_only=True) as sent:
        assert web.get("/admin/system/").status_code == 200

    assert len([s for s in sent if "FROM users" not in s]) == 2, sent


def test_a_sweep_that_fails_when_run_by_hand_is_reported_not_a_500(app, web, make_user, session, monkeypatch):
    def broken(_session, _dry_run):
        raise RuntimeError("reminder table missing for p.person@ato.gov.au")

    sign_in(web, make_user(site_admin=True))
    monkeypatch.setitem(app.extensions["sweeps"], "opportunity-expiry", broken)  # the app the requests go to
    web.get("/admin/system/")

    response = web.post("/admin/system/sweeps/opportunity-expiry/run")

    assert response.status_code == 302
    page = web.get("/admin/system/").get_data(as_text=True)
    assert "opportunity-expiry failed" in page and "RuntimeError: reminder table missing for p***@ato.gov.au" in page
    session.expire_all()
    run = session.get(BackgroundStatus, "opportunity-expiry")
    assert (run.runs, run.running_since) == (1, None)  # the claim is let go
