"""/metrics: scraped after a journey, the counters have moved; only the machine itself (or an allowed network)
may read it, never a request that came through a proxy."""
from __future__ import annotations

import time

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import insert, select

from portal.models import BackgroundStatus
from tests.conftest import sign_in
from tests.support import factories


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics")
    assert response.status_code == 200, response.status_code
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True)) for sample in family.samples}


def moved(before: dict, after: dict, name: str, **labels) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0) - before.get(key, 0)


def _wait_for(condition, seconds: float = 20) -> None:
    """The PostgreSQL run's worker delivers in its own thread."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "did not happen in time"
        time.sleep(0.1)


def test_counters_move_after_a_journey(web, client, make_user, session, mailbox):
    person = make_user(name="Lou Locked")
    admin = make_user(site_admin=True)
    before = scrape(client)

    for _ in range(5):
        web.submit("/sign-in", {"email": person.email, "password": "not the password"})
    web.submit("/forgot-password", {"email": admin.email})
    mailbox.wait_for_to(admin.email, "password")
    mailbox.unknown_addresses.add(person.email)
    web.submit("/forgot-password", {"email": person.email})
    _wait_for(lambda: moved(before, scrape(client), "oneaps_emails_total", outcome="bounced") == 1)
    sign_in(web, admin)
    web.get("/admin/system/")
    web.post("/admin/system/sweeps/completion-reminders/run")
    after = scrape(client)

    assert moved(before, after, "oneaps_http_requests_total", route="/sign-in", method="POST", status="422") == 5
    assert moved(before, after, "oneaps_http_request_duration_seconds_count", route="/sign-in", method="POST") >= 6
    assert moved(before, after, "oneaps_sign_in_failures_total") == 5
    assert moved(before, after, "oneaps_account_lockouts_total") == 1
    assert moved(before, after, "oneaps_emails_total", outcome="sent") >= 1
    assert moved(before, after, "oneaps_emails_total", outcome="bounced") == 1
    finished = session.scalar(select(BackgroundStatus.last_finished_at).where(
        BackgroundStatus.name == "completion-reminders"))
    assert after[("oneaps_sweep_last_run_timestamp_seconds", (("sweep", "completion-reminders"),))] == \
        finished.timestamp()
    assert ("oneaps_sweep_last_items", (("sweep", "completion-reminders"),)) in after


def test_outbox_backlog_counts_waiting_messages_and_the_oldest_age(client, session):
    from datetime import timedelta

    from portal.models import OutboxMessage
    from workflows import clock

    # Inserted as rows, not ORM objects, so nothing hands the pending ones to delivery.
    session.execute(insert(OutboxMessage), [
        {"template": "verify_email", "recipient": f"p{n}@example.gov.au", "context": {}, "attachments": [],
         "idempotency_key": f"backlog-{n}", "status": status, "category": "account", "attempts": 0,
         "created_at": clock.utcnow() - timedelta(minutes=10 * n)}
        for n, status in ((1, "pending"), (2, "pending"), (3, "failed"), (4, "bounced"))])
    session.commit()

    values = scrape(client)

    assert values[("oneaps_outbox_messages", (("status", "pending"),))] == 2
    assert values[("oneaps_outbox_messages", (("status", "failed"),))] == 1
    assert values[("oneaps_outbox_messages", (("status", "bounced"),))] == 1
    assert 19 * 60 < values[("oneaps_outbox_oldest_pending_age_seconds", ())] < 25 * 60


def test_metrics_are_not_served_to_other_machines_or_through_a_proxy(client):
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"}).status_code == 404
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200


def test_an_allowed_network_may_scrape(app, client, monkeypatch):
    from dataclasses import replace

    settings = app.config["SETTINGS"]
    monkeypatch.setitem(app.config, "SETTINGS", replace(settings, metrics_allowed_networks=("10.20.0.0/16",)))

    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 404
