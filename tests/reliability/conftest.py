"""Reliability tests run their own Celery worker processes (with beat) so they can kill them."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[2]


class WorkerProcess:
    """`celery -A wsgi:celery worker --beat` as operators run it, on this run's database, Redis and SMTP."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.process: subprocess.Popen | None = None
        self.log = settings.instance_dir / "worker.log"

    def env(self) -> dict[str, str]:
        s = self.settings
        env = dict(os.environ)
        env.update(DATABASE_URL=s.database_url, REDIS_URL=s.redis_url or "", SMTP_HOST=s.smtp_host or "",
                   SMTP_PORT=str(s.smtp_port), SECRET_KEY=s.secret_key, PORTAL_BASE_URL=s.portal_base_url,
                   INSTANCE_DIR=str(s.instance_dir), CELERY_QUEUE=s.celery_queue, OUTBOX_RELAY_SECONDS="1",
                   OUTBOX_RELAY_AFTER_SECONDS="1", MAIL_RETRY_BACKOFF_SECONDS="1",
                   MAIL_RETRY_BACKOFF_MAX_SECONDS="2", SWEEP_INTERVAL_SECONDS="3600")
        return env

    def start(self) -> None:
        schedule = self.settings.instance_dir / f"beat-{time.monotonic_ns()}"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "wsgi:celery", "worker", "--beat", "--pool", "solo",
                 "--loglevel", "INFO", "--schedule", str(schedule), "-Q", self.settings.celery_queue],
                cwd=ROOT, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self) -> None:
        """SIGKILL: no chance to ack, clean up or roll back."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def worker(settings):
    process = WorkerProcess(settings)
    yield process
    process.stop()
