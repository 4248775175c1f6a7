"""Engine and sessions: one session per request (closed at teardown) or per task."""
from __future__ import annotations

import logging
from contextlib import contextmanager
from itertools import chain
from typing import Callable, Iterator

from flask import Flask, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

OutboxPublisher = Callable[[list[int]], None]
ListingHook = Callable[[], None]


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
    """Holds the engine and session factory; publishes outbox ids once their transaction commits."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session_factory: sessionmaker[Session] | None = None
        self.publish_outbox: OutboxPublisher | None = None
        self.listing_changed: ListingHook | None = None

    def configure(self, url: str) -> None:
        if self.engine is not None and str(self.engine.url) == url:
            return
        if self.engine is not None:
            self.engine.dispose()
        self.engine = make_engine(url)
        self.session_factory = sessionmaker(self.engine, expire_on_commit=False)
        _watch_outbox(self.session_factory, self)
        _watch_listing(self.session_factory, self)

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


def _watch_outbox(factory: sessionmaker[Session], database: Database) -> None:
    """Collect ids of outbox rows as they are flushed; hand them on only after commit."""
    from portal.models.outbox import OutboxMessage

    @event.listens_for(factory, "after_flush")
    def _collect(session: Session, _context) -> None:
        ids = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
        if ids:
            session.info.setdefault("outbox_ids", []).extend(ids)

    @event.listens_for(factory, "after_commit")
    def _publish(session: Session) -> None:
        ids = session.info.pop("outbox_ids", None)
        if ids and database.publish_outbox is not None:
            try:
                database.publish_outbox(ids)
            except Exception:  # the relay sweep re-queues anything left pending
                log.exception("could not publish outbox messages %s; the relay will retry", ids)

    @event.listens_for(factory, "after_rollback")
    def _forget(session: Session) -> None:
        session.info.pop("outbox_ids", None)


def _watch_listing(factory: sessionmaker[Session], database: Database) -> None:
    """Note commits that change what the browse page lists (opportunities, their skills, agency and skill
    names), by unit of work or by bulk UPDATE/DELETE, and tell `database.listing_changed` once committed:
    the browse cache keys entries by a generation that this bumps (portal/opportunities/facet_cache.py)."""
    from portal.models import Agency, Opportunity, Skill

    listed = (Opportunity, Agency, Skill)

    @event.listens_for(factory, "after_flush")
    def _note_flush(session: Session, _context) -> None:
        changed = chain(session.new, session.dirty, session.deleted)
        if any(isinstance(obj, listed) for obj in changed):
            session.info["listing_changed"] = True

    @event.listens_for(factory, "do_orm_execute")
    def _note_bulk(state) -> None:
        mapper = state.bind_mapper
        if (state.is_update or state.is_delete) and mapper is not None and issubclass(mapper.class_, listed):
            state.session.info["listing_changed"] = True

    @event.listens_for(factory, "after_commit")
    def _tell(session: Session) -> None:
        if session.info.pop("listing_changed", False) and database.listing_changed is not None:
            try:
                database.listing_changed()
            except Exception:  # the cache's entries expire anyway
                log.exception("could not note a listing change")

    @event.listens_for(factory, "after_rollback")
    def _forget_listing(session: Session) -> None:
        session.info.pop("listing_changed", None)
