"""The two test backends: SQLite with in-process delivery (fast), or PostgreSQL + Redis + a real worker.

TEST_BACKEND=sqlite (default) or postgres. On postgres a missing server is an error, never a skip.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

import psycopg
import redis

BACKEND = os.environ.get("TEST_BACKEND", "sqlite")
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


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


def require_redis() -> None:
    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
