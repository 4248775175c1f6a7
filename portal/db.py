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

    else:
        # A server that accepts and never answers must not hang a request (or /readyz) for minutes. The most
        # recently used connection goes out first: it holds the prepared statements (and idle ones can time out).
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_use_lifo=True,
                               connect_args={"connect_timeout": 10})
    _note_writes(engine)
    return engine


def _note_writes(engine: Engine) -> None:
    """Mark a connection's transaction once it sends anything but a SELECT, so the end of a request can tell a
    transaction that only read (see Database._close_request_session)."""
    @event.listens_for(engine, "begin")
    def _fresh(connection) -> None:
        connection.info.pop("wrote", None)

    @event.listens_for(engine, "before_cursor_execute")
    def _note(connection, _cursor, statement: str, *_args) -> None:
        if not statement.startswith("SELECT"):
            connection.info["wrote"] = True


def _only_read(session: Session) -> bool:
    """Whether the session's open transaction sent nothing but SELECTs and holds no unflushed change."""
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return False
    try:
        return not session.connection().info.get("wrote", False)
    except Exception:  # an inactive transaction (a failed flush the view caught): roll it back as usual
        return False


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
    def _close_request_session(exc: BaseException | None) -> None:
        """A request's transaction that only read ends with COMMIT, anything else with ROLLBACK. For a read the two
        are the same to PostgreSQL, but psycopg forgets its prepared statements at every ROLLBACK, so pages (which
        mostly only read) would have every statement parsed and planned again: about half a millisecond of the
        server's time for each of the larger ones."""
        session = g.pop("db_session", None)
        if session is None:
            return
        try:
            if exc is None and _only_read(session):
                session.commit()
        except Exception:  # e.g. the connection went away: closing rolls back what is left
            pass
        finally:
            session.close()
