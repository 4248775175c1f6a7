"""The two test backends: SQLite with in-process delivery (fast), or PostgreSQL + Redis + a real worker.

TEST_BACKEND=sqlite (default) or postgres. On postgres a missing server is an error, never a skip.
"""
from __future__ import annotations

import os
import secrets
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import redis

BACKEND = os.environ.get("TEST_BACKEND", "sqlite")
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WORKER = os.environ.get("TEST_WORKER", "thread")  # thread: in-process worker; subprocess: tests run their own


@dataclass
class ScratchDatabase:
    """A database of its own for one test run, so parallel runs never meet."""

    url: str
    name: str

    @classmethod
    def create(cls) -> "ScratchDatabase":
        name = f"oneaps_test_{os.getpid()}_{secrets.token_hex(3)}"
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
        return cls(url=f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}", name=name)

    def drop(self) -> None:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def require_redis(url: str = REDIS_URL) -> None:
    redis.Redis.from_url(url, socket_connect_timeout=3).ping()


@dataclass
class PrivateRedis:
    """A redis-server of our own on a free loopback port, so a test can restart it."""

    port: int
    folder: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @classmethod
    def start(cls, folder: Path, port: int | None = None) -> "PrivateRedis":
        from tests.support.smtp import free_port

        server = cls(port or free_port(), folder)
        server.restart()
        return server

    def restart(self) -> None:
        self.stop()
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                require_redis(self.url)
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
