"""Engine and sessions: one session per request (closed at teardown) or per task."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from flask import Flask, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    # A server that accepts and never answers must not hang a request (or /readyz) for minutes.
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, connect_args={"connect_timeout": 10})


class Database:
    """Holds the engine and session factory. What happens after a commit is attached to the factory by
    the app factory (portal/__init__.py): outbox publishing and the browse cache's listing generation."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session_factory: sessionmaker[Session] | None = None

    def configure(self, url: str) -> None:
        if self.engine is not None and str(self.engine.url) == url:
            return
        if self.engine is not None:
            self.engine.dispose()
        self.engine = make_engine(url)
        self.session_factory = sessionmaker(self.engine, expire_on_commit=False)

    def init_app(self, app: Flask) -> None:
        self.configure(app.config["SETTINGS"].database_url)
        app.teardown_appcontext(self._close_request_session)

    @property
    def session(self) -> Session:
        """The session of the current request or app context."""
        if "db_session" not in g:
            g.db_session = self.new_session()
        return g.db_session

    def new_session(self) -> Session:
        assert self.session_factory is not None, "Database not configured"
        return self.session_factory()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session for a task or CLI command: commit on success, roll back on error."""
        session = self.new_session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @staticmethod
    def _close_request_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()
