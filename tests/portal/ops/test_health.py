"""Readiness checks answer within their timeout, even when a dependency accepts the connection and then says
nothing, and name only what failed."""
from __future__ import annotations

import socket
import time
from dataclasses import replace

import pytest

from portal.db import Database
from portal.ops import health


@pytest.fixture
def silent_port():
    """A port that accepts TCP connections and never answers (a hung server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server.getsockname()[1]
    server.close()


def test_a_hung_database_and_broker_fail_within_the_timeout(settings, silent_port):
    hung = Database()
    hung.configure(f"postgresql+psycopg://postgres@127.0.0.1:{silent_port}/nothing")
    quick = replace(settings, readiness_timeout_seconds=0.5, redis_url=f"redis://127.0.0.1:{silent_port}/0",
                    broker_url=f"redis://127.0.0.1:{silent_port}/0")
    started = time.monotonic()

    answers = health.readiness(quick, hung)

    assert answers == {"database": "failed", "redis": "failed", "broker": "failed"}
    assert time.monotonic() - started < 3
    hung.engine.dispose()


def test_the_embedded_shape_checks_the_database_and_its_broker_file(settings):
    from portal.extensions import db

    embedded = replace(settings, redis_url=None, broker_url=f"sqla+sqlite:///{settings.instance_dir / 'ready.db'}")

    assert health.readiness(embedded, db) == {"database": "ok", "broker": "ok"}
