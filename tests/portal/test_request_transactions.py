"""How a request's transaction ends: COMMIT when it only read (so psycopg keeps its prepared statements), ROLLBACK
when it sent a write, holds an unflushed change or failed."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from portal.extensions import db
from portal.models import User
from tests.support import factories
from tests.support.backends import BACKEND


def _end_request(app, work, error: BaseException | None = None) -> None:
    """Run `work(session)` in its own app context, as a view would, and end it the way Flask ends a request."""
    context = app.app_context()
    context.push()
    try:
        work(db.session)
    finally:
        context.pop(error)


def _name_of(session, user_id: int) -> str:
    session.expire_all()
    return session.scalar(select(User.name).where(User.id == user_id))


@pytest.fixture
def person(session) -> User:
    made = factories.user(session, name="Ada Original")
    session.commit()
    return made


def test_a_change_the_view_did_not_commit_is_not_kept(app, session, person):
    def rename_without_commit(request_session):
        request_session.get(User, person.id).name = "Ada Flushed"
        request_session.flush()

    def rename_unflushed(request_session):
        request_session.get(User, person.id).name = "Ada Pending"

    def rename_with_sql(request_session):
        request_session.execute(text("UPDATE users SET name = 'Ada Sql' WHERE id = :id"), {"id": person.id})

    for work in (rename_without_commit, rename_unflushed, rename_with_sql):
        _end_request(app, work)
        assert _name_of(session, person.id) == "Ada Original", work.__name__


def test_a_request_that_failed_after_a_flush_is_rolled_back(app, session, person):
    def rename_then_fail(request_session):
        request_session.get(User, person.id).name = "Ada Failed"
        request_session.flush()

    _end_request(app, rename_then_fail, error=RuntimeError("the view failed after writing"))

    assert _name_of(session, person.id) == "Ada Original"


@pytest.mark.skipif(BACKEND != "postgres", reason="prepared statements are PostgreSQL's")
def test_a_read_only_request_keeps_the_prepared_statements(app, session, person):
    """psycopg prepares a statement run five times on a connection and forgets them all at a ROLLBACK: requests
    that only read end with COMMIT, so the sixth request runs a prepared statement."""
    statement = select(User.name).where(User.id == person.id)
    connections = set()

    def read(request_session):
        request_session.execute(statement)
        connections.add(request_session.connection().connection.dbapi_connection)

    for _ in range(8):
        _end_request(app, read)

    assert len(connections) == 1  # one request at a time: the pool hands back the same connection
    connection = connections.pop()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    connection.commit()
    assert any("FROM users" in sql for sql in prepared), prepared
