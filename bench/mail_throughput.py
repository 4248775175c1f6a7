"""Benchmark: 1,000 e-mails through the outbox, Redis and a real Celery worker to an SMTP sink.

Usage: .venv/bin/python -m bench.mail_throughput [--count 1000] [--concurrency 2]
Needs PostgreSQL and Redis on loopback (as the tests do). Prints messages per second.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()

    from portal import create_app
    from portal.config import Settings
    from portal.extensions import db
    from portal.migrate import upgrade
    from portal.models import OutboxMessage
    from portal.outbox import queue_email
    from tests.support.backends import REDIS_URL, ScratchDatabase
    from tests.support.smtp import start_smtp_server

    controller, mailbox = start_smtp_server()
    scratch = ScratchDatabase.create()
    instance = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    queue = f"bench-{scratch.name}"
    env = {"INSTANCE_DIR": str(instance), "DATABASE_URL": scratch.url, "REDIS_URL": REDIS_URL,
           "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(controller.port), "SECRET_KEY": "bench",
           "CELERY_QUEUE": queue, "PORTAL_BASE_URL": "http://127.0.0.1:5000"}
    worker = None
    try:
        upgrade(scratch.url)
        app = create_app(Settings.from_env(env))
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "wsgi:celery", "worker", "--loglevel", "WARNING", "-Q", queue,
             "--concurrency", str(args.concurrency)],
            cwd=ROOT, env=dict(os.environ, **env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(4)  # let the worker connect before the clock starts
        with app.app_context():
            started = time.perf_counter()
            with db.transaction() as session:
                for n in range(args.count):
                    queue_email(session, "verify_email", f"bench{n}@dta.gov.au",
                                {"name": f"Person {n}", "link": f"http://127.0.0.1:5000/verify/{n}"},
                                key=f"bench:{n}", name=f"Person {n}")
            queued = time.perf_counter()
            mailbox.wait_for(lambda m: True, timeout=600, count=args.count)
            finished = time.perf_counter()
            with db.transaction() as session:
                sent = session.scalar(select(func.count()).where(OutboxMessage.status == "sent"))
        delivered = len(mailbox.messages)
        distinct = len({m["Message-ID"] for m in mailbox.messages})
        seconds = finished - started
        print(f"queued {args.count} in {queued - started:.2f}s; delivered {delivered} ({distinct} distinct, "
              f"{sent} marked sent) in {seconds:.2f}s = {delivered / seconds:.0f} e-mails/s "
              f"with {args.concurrency} worker process(es)")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        controller.stop()
        from portal.extensions import db as database

        if database.engine is not None:
            database.engine.dispose()
        scratch.drop()


if __name__ == "__main__":
    main()
