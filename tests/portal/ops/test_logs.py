"""Logs: one JSON line per request, a request id that follows the work into the outbox row and the delivery
(the Celery task on the PostgreSQL run), and never an e-mail address."""
from __future__ import annotations

import io
import json
import logging
import time

import pytest
from sqlalchemy import select

from portal.models import OutboxMessage
from portal.logs import JsonFormatter, mask_addresses

REQUEST_ID = "req-0123456789abcdef"


@pytest.fixture
def log_lines():
    """What the portal's JSON handler writes, as parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_a_request_logs_one_json_line_with_its_id_and_echoes_the_id(client, log_lines):
    response = client.get("/help/", headers={"X-Request-ID": REQUEST_ID})

    lines = [line for line in log_lines() if line["logger"] == "portal.request"]
    assert response.headers["X-Request-ID"] == REQUEST_ID
    assert len(lines) == 1
    assert (lines[0]["request_id"], lines[0]["route"], lines[0]["status"], lines[0]["method"]) == \
        (REQUEST_ID, "/help/", 200, "GET")
    assert lines[0]["duration_ms"] >= 0


def test_an_unusable_request_id_is_replaced(client):
    response = client.get("/help/", headers={"X-Request-ID": "<script>"})

    assert response.headers["X-Request-ID"] != "<script>" and len(response.headers["X-Request-ID"]) == 16


def test_the_request_id_follows_into_the_outbox_row_and_its_delivery_with_no_address_logged(
        web, make_user, session, mailbox, settings, log_lines):
    person = make_user(email="kept.private@ato.gov.au")
    mailbox.unknown_addresses.add(person.email)  # the delivery is refused for good, and logged
    web.get("/forgot-password")

    web.post("/forgot-password", {"email": person.email}, headers={"X-Request-ID": REQUEST_ID})

    deadline = time.monotonic() + 20
    reset = select(OutboxMessage.request_id).where(OutboxMessage.template == "reset_password")
    while session.scalar(reset) is None and time.monotonic() < deadline:  # queued by the reset job, in the worker
        time.sleep(0.05)
        session.rollback()
    assert session.scalar(reset) == REQUEST_ID
    while not any("permanently refused" in line["message"] for line in log_lines()) and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = log_lines()
    refused = [line for line in lines if "permanently refused" in line["message"]]
    assert refused and refused[0]["request_id"] == REQUEST_ID
    if not settings.embedded:  # delivered by the real worker: the task's own line carries the id too
        assert any(line["logger"] == "portal.task" and line.get("task") == "tasks.mail.deliver_outbox"
                   and line["request_id"] == REQUEST_ID for line in lines)
    text = json.dumps(lines)
    assert "kept.private@ato.gov.au" not in text and "k***@ato.gov.au" in text


def test_addresses_are_masked_wherever_they_appear():
    assert mask_addresses("to aisha.karim@dta.gov.au and {'o'brien@x.gov.au': 550}") == \
        "to a***@dta.gov.au and {'o***@x.gov.au': 550}"
