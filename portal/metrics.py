"""Prometheus metrics: counters kept by each process (summed across gunicorn and Celery processes in
multiprocess mode, PROMETHEUS_MULTIPROC_DIR), and gauges read from the database when scraped, so the
outbox backlog and each sweep's last run are the same whichever process answers."""
from __future__ import annotations

from datetime import datetime, timezone

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.config import Settings
from portal.models import BackgroundStatus, OutboxMessage
from workflows import clock

REQUESTS = Counter("oneaps_http_requests_total", "Web requests answered, by route, method and status.",
                   ["route", "method", "status"])
LATENCY = Histogram("oneaps_http_request_duration_seconds", "Time to answer a web request, by route and method.",
                    ["route", "method"], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
EMAILS = Counter("oneaps_emails_total", "Outbox e-mail attempts by outcome: sent, deferred (to be retried), "
                 "bounced (refused for good), failed.",
                 ["outcome"])
TASK_FAILURES = Counter("oneaps_celery_task_failures_total", "Celery tasks that raised, by task.", ["task"])
SIGN_IN_FAILURES = Counter("oneaps_sign_in_failures_total", "Sign-in attempts refused.")
LOCKOUTS = Counter("oneaps_account_lockouts_total", "Accounts locked after too many failed sign-ins.")


class DatabaseCollector:
    """Outbox backlog and the last run of every sweep, in two statements at scrape time."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def collect(self):
        now = clock.utcnow()
        backlog = GaugeMetricFamily("oneaps_outbox_messages", "Outbox messages not sent, by status.",
                                    labels=["status"])
        oldest = GaugeMetricFamily("oneaps_outbox_oldest_pending_age_seconds",
                                   "Age of the oldest message waiting to be sent (0: none).")
        counts = {"pending": 0, "failed": 0, "bounced": 0}
        oldest_pending = None
        for status, count, first in self.session.execute(
                select(OutboxMessage.status, func.count(), func.min(OutboxMessage.created_at))
                .where(OutboxMessage.status != "sent").group_by(OutboxMessage.status)):
            counts[status] = count
            if status == "pending":
                oldest_pending = _aware(first)
        for status, count in counts.items():
            backlog.add_metric([status], count)
        oldest.add_metric([], (now - oldest_pending).total_seconds() if oldest_pending else 0)
        yield backlog
        yield oldest
        yield from self._background(now)

    def _background(self, now: datetime):
        last_run = GaugeMetricFamily("oneaps_sweep_last_run_timestamp_seconds", "When each sweep last finished.",
                                     labels=["sweep"])
        duration = GaugeMetricFamily("oneaps_sweep_last_duration_seconds", "How long each sweep's last run took.",
                                     labels=["sweep"])
        items = GaugeMetricFamily("oneaps_sweep_last_items", "What each sweep's last run queued or changed.",
                                  labels=["sweep"])
        seen = GaugeMetricFamily("oneaps_heartbeat_age_seconds", "Seconds since the worker and beat were last seen.",
                                 labels=["process"])
        rows = self.session.execute(select(BackgroundStatus.kind, BackgroundStatus.name,
                                           BackgroundStatus.last_finished_at, BackgroundStatus.last_duration_ms,
                                           BackgroundStatus.last_items))
        for kind, name, finished, duration_ms, count in rows:
            if kind == "heartbeat" and finished is not None:
                seen.add_metric([name], (now - _aware(finished)).total_seconds())
            elif kind == "sweep" and finished is not None:
                last_run.add_metric([name], _aware(finished).timestamp())
                duration.add_metric([name], (duration_ms or 0) / 1000)
                items.add_metric([name], count or 0)
        yield from (last_run, duration, items, seen)


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


def exposition(settings: Settings, session: Session) -> bytes:
    """The text a scrape gets: this process's (or every process's) counters, then the database gauges."""
    if settings.prometheus_multiproc_dir:
        counters = CollectorRegistry()
        MultiProcessCollector(counters, path=settings.prometheus_multiproc_dir)
    else:
        counters = REGISTRY
    gauges = CollectorRegistry(auto_describe=False)
    gauges.register(DatabaseCollector(session))
    return generate_latest(counters) + generate_latest(gauges)


def count_email(outcome: str) -> None:
    EMAILS.labels(outcome).inc()


def count_sign_in_failure(locked: bool) -> None:
    SIGN_IN_FAILURES.inc()
    if locked:
        LOCKOUTS.inc()
