"""Readiness: can this process reach the database, Redis and the broker right now? Each check has a short
timeout and answers only "ok" or "failed", so the page can be public without giving anything away."""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, TimeoutError
from typing import Callable

import redis
from kombu import Connection
from sqlalchemy import text

from portal.config import Settings
from portal.db import Database

log = logging.getLogger(__name__)


def _start(check: Callable[[], None]) -> Future:
    """Each check on a daemon thread of its own, so one that hangs never holds up the next probe."""
    future: Future = Future()

    def run() -> None:
        try:
            check()
            future.set_result(None)
        except BaseException as error:  # handed to the waiting request
            future.set_exception(error)

    threading.Thread(target=run, name="readyz", daemon=True).start()
    return future


def _database(database: Database, timeout: float) -> None:
    with database.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"SET LOCAL statement_timeout = {int(timeout * 1000)}"))
        connection.execute(text("SELECT 1"))


def _redis(url: str, timeout: float) -> None:
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()


def _broker(url: str, timeout: float) -> None:
    if url.startswith("redis"):
        _redis(url, timeout)
        return
    with Connection(url, connect_timeout=timeout) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)


def checks(settings: Settings, database: Database) -> dict[str, Callable[[], None]]:
    timeout = settings.readiness_timeout_seconds
    found = {"database": lambda: _database(database, timeout)}
    if settings.redis_url:
        found["redis"] = lambda: _redis(settings.redis_url, timeout)
    found["broker"] = lambda: _broker(settings.broker_url, timeout)
    return found


def readiness(settings: Settings, database: Database) -> dict[str, str]:
    """'ok' or 'failed' for each dependency, all checked at once, none waited on longer than the timeout."""
    futures = {name: _start(check) for name, check in checks(settings, database).items()}
    answers = {}
    for name, future in futures.items():
        try:
            future.result(timeout=settings.readiness_timeout_seconds + 0.5)
            answers[name] = "ok"
        except TimeoutError:
            answers[name] = "failed"
            log.warning("readiness: %s did not answer in time", name)
        except Exception as error:  # what failed is logged, not shown
            answers[name] = "failed"
            log.warning("readiness: %s failed (%s)", name, type(error).__name__)
    return answers
