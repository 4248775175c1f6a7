"""Building a message never fails on data: header values are made one line, and a message that still cannot be
built is marked failed with its reason (never left pending for the relay to retry forever)."""
from __future__ import annotations

import time

from portal.extensions import db as database
from portal.models import OutboxMessage
from portal.outbox import claim_for_relay, queue_email

HOSTILE_TITLE = "Data\r\nBcc: everyone@agency.gov.au\t\u202eexe.tahw"


def _settled(key: str, timeout: float = 20.0) -> OutboxMessage:
    """The message once the worker (or the in-process delivery) has dealt with it."""
    deadline = time.monotonic() + timeout
    while True:
        with database.transaction() as session:
            message = session.query(OutboxMessage).filter_by(idempotency_key=key).one()
            session.expunge(message)
        if message.status != "pending" or time.monotonic() > deadline:
            return message
        time.sleep(0.1)


def test_a_title_and_name_with_line_breaks_still_make_an_email_that_arrives(mailbox):
    with database.transaction() as session:
        queue_email(session, "opportunity_approved", "olive.owner@dta.gov.au",
                    {"title": HOSTILE_TITLE, "opportunity_url": "http://x/opportunities/1"},
                    key="control:approved", name="Olive\nOwner\x07")

    message = mailbox.wait_for_to("olive.owner@dta.gov.au", "Approved and open")

    assert message["Subject"] == "Approved and open: Data Bcc: everyone@agency.gov.au exe.tahw"
    assert message["To"] == "Olive Owner <olive.owner@dta.gov.au>"
    assert message["Bcc"] is None
    assert _settled("control:approved").status == "sent"


def test_a_message_that_cannot_be_built_is_marked_failed_with_its_reason_and_not_relayed(app):
    with database.transaction() as session:
        session.add(OutboxMessage(template="no_such_template", recipient="olive.owner@dta.gov.au", context={},
                                  idempotency_key="control:unbuildable"))

    failed = _settled("control:unbuildable")

    assert failed.status == "failed" and failed.attempts == 1
    assert failed.last_error.startswith("Could not be built: TemplateNotFound")
    with app.app_context(), database.transaction() as session:
        assert failed.id not in claim_for_relay(session, after_seconds=0, stale_seconds=0)
