"""Nothing lost: an SMTP outage, a killed worker or a Redis restart delays mail, never drops or doubles it.

Run with a real PostgreSQL, a private Redis, real `celery -A wsgi:celery worker --beat` processes and a real
SMTP server: `make test-reliability` (part of `make test`).
"""
from __future__ import annotations

import time

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import OutboxMessage
from portal.outbox import queue_email


def _queue(count: int, prefix: str) -> list[str]:
    """Commit `count` e-mails (the after-commit hook hands them to Redis)."""
    addresses = [f"{prefix}{n}@dta.gov.au" for n in range(count)]
    with db.transaction() as session:
        for n, address in enumerate(addresses):
            queue_email(session, "verify_email", address, {"name": f"Person {n}", "link": "http://x/verify/t"},
                        key=f"{prefix}:{n}", name=f"Person {n}")
    return addresses


def _counts(mailbox, prefix: str) -> tuple[int, int]:
    """(delivered messages, distinct Message-IDs) for this test's addresses."""
    ours = [m for m in mailbox.messages if m["To"] and prefix in m["To"]]
    return len(ours), len({m["Message-ID"] for m in ours})


def _sent(prefix: str) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status == "sent", OutboxMessage.idempotency_key.startswith(prefix)))


def _most_attempts() -> int:
    with db.transaction() as session:
        return session.scalar(select(func.max(OutboxMessage.attempts))) or 0


def _settle(mailbox, prefix: str, expected: int, timeout: float = 60) -> tuple[int, int]:
    mailbox.wait_for(lambda m: prefix in (m["To"] or ""), timeout=timeout, count=expected)
    time.sleep(4)  # room for a duplicate to show up if one were coming
    return _counts(mailbox, prefix)


def test_smtp_outage_delays_mail_then_each_message_arrives_once(worker, mailbox, capsys):
    mailbox.refuse = True
    worker.start()
    _queue(20, "outage")
    deadline = time.monotonic() + 60  # the worker process may take a while to start on two busy cores
    while (attempts := _most_attempts()) < 1 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert attempts >= 1, "the worker should have tried and failed while SMTP refused"
    assert _counts(mailbox, "outage") == (0, 0)

    mailbox.refuse = False
    delivered, distinct = _settle(mailbox, "outage", 20)

    print(f"\nSMTP outage: queued 20, delivered {delivered}, duplicated {delivered - distinct}")
    assert (delivered, distinct) == (20, 20)
    assert _sent("outage") == 20


def test_worker_killed_while_sending_delivers_after_restart_once(worker, mailbox):
    mailbox.delay_seconds = 3
    worker.start()
    _queue(1, "killed")
    assert mailbox.receiving.wait(30), "the worker never reached the SMTP server"

    worker.kill()
    time.sleep(4)
    assert _counts(mailbox, "killed") == (0, 0)

    mailbox.delay_seconds = 0
    worker.start()
    delivered, distinct = _settle(mailbox, "killed", 1)

    print(f"\nWorker SIGKILL: queued 1, delivered {delivered}, duplicated {delivered - distinct}")
    assert (delivered, distinct) == (1, 1)
    assert _sent("killed") == 1


def test_redis_restart_with_tasks_in_flight_loses_nothing(worker, mailbox, private_redis):
    _queue(15, "redis")  # published to Redis, no worker yet
    private_redis.restart()  # Redis keeps nothing on disk: the queued tasks are gone
    worker.start()

    delivered, distinct = _settle(mailbox, "redis", 15)

    print(f"\nRedis restart: queued 15, delivered {delivered}, duplicated {delivered - distinct}")
    assert (delivered, distinct) == (15, 15)


def test_mail_committed_while_redis_is_down_goes_out_when_it_is_back(worker, mailbox, private_redis):
    private_redis.stop()
    started = time.monotonic()
    _queue(5, "down")  # publishing fails after commit; the rows are safe in the database
    assert time.monotonic() - started < 30, "a dead broker must not hang the request for long"
    private_redis.restart()
    worker.start()

    delivered, distinct = _settle(mailbox, "down", 5)

    print(f"\nRedis down at commit: queued 5, delivered {delivered}, duplicated {delivered - distinct}")
    assert (delivered, distinct) == (5, 5)
