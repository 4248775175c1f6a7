"""Fixtures shared by the whole suite: one app per run on the chosen backend, a real SMTP server,
a real Celery worker on the PostgreSQL backend, clean tables for every test.
"""
from __future__ import annotations

import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from portal import create_app, outbox
from portal.config import Settings
from portal.extensions import db as database
from portal.extensions import limiter
from portal.mail import transport_from_settings
from portal.migrate import upgrade
from portal.models import Base
from portal.reference import load_reference_data
from tests.support import backends, factories
from tests.support.smtp import free_port, start_smtp_server
from tests.support.web import Web

KEEP = {"agencies", "skills", "email_domains", "email_domain_agencies", "alembic_version", "listing_generation"}
# The reliability tests kill workers and restart Redis: only `make test-reliability` collects them.
collect_ignore = [] if backends.WORKER == "subprocess" else ["reliability"]


@pytest.fixture(scope="session")
def smtp_server():
    controller, mailbox = start_smtp_server()
    yield controller, mailbox
    controller.stop()


@pytest.fixture(scope="session")
def live_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def oidc_provider(settings, tmp_path_factory):
    """A real OpenID provider (tests/oidc/provider.mjs) on loopback, registered for this run's portal."""
    from tests.support.oidc import TestProvider

    provider = TestProvider(free_port(), settings.portal_base_url, tmp_path_factory.mktemp("oidc") / "provider.log")
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def private_redis(tmp_path_factory):
    """With TEST_WORKER=subprocess, a Redis of this run's own that the reliability tests may restart."""
    if backends.WORKER != "subprocess":
        yield None
        return
    server = backends.PrivateRedis.start(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_url(private_redis) -> str:
    return private_redis.url if private_redis is not None else backends.REDIS_URL


@pytest.fixture(scope="session")
def settings(tmp_path_factory, smtp_server, live_port, redis_url) -> Settings:
    controller, _ = smtp_server
    instance = tmp_path_factory.mktemp("instance")
    env = {"INSTANCE_DIR": str(instance), "SECRET_KEY": "test-secret-key-not-for-production",
           "PORTAL_BASE_URL": f"http://127.0.0.1:{live_port}", "SMTP_HOST": "127.0.0.1",
           "SMTP_PORT": str(controller.port), "DEV_MAIL_PAGE": "true"}
    overrides: dict = {"testing": True, "api_rate_limit": "40 per minute"}
    if backends.BACKEND == "postgres":
        scratch = backends.ScratchDatabase.create()
        backends.require_redis(redis_url)
        env.update(DATABASE_URL=scratch.url, REDIS_URL=redis_url)
        overrides["celery_queue"] = f"q-{scratch.name}"
        overrides["extra"] = {"ratelimit_prefix": scratch.name, "scratch": scratch}
    settings = Settings.from_env(env, **overrides)
    yield settings
    if "scratch" in settings.extra:
        database.engine.dispose()
        settings.extra["scratch"].drop()


@pytest.fixture(scope="session")
def ambient_app(settings):
    """A twin of `app` whose context tests hold while they work: requests to `app` then get their own
    app context (their own `g` and database session), exactly as in production."""
    return create_app(settings)


@pytest.fixture(scope="session")
def app(settings, ambient_app):
    upgrade(settings.database_url)
    app = create_app(settings)
    with database.transaction() as session:
        load_reference_data(session)
    with database.engine.begin() as connection:
        _restore_reference_data(connection)  # remembers the shipped names
    if settings.embedded:
        outbox.publish_after_commit(database.session_factory, _deliver_in_process(app, settings))
    return app


def _deliver_in_process(app, settings):
    """The SQLite run has no worker: deliver right after commit through the same domain function."""
    def publish(ids: list[int]) -> None:
        with app.app_context():
            for message_id in ids:
                with database.transaction() as session:
                    outbox.deliver(session, message_id, transport_from_settings(settings))
    return publish


@pytest.fixture(scope="session")
def celery_worker(app, settings):
    """A real Celery worker (solo pool, in a thread) consuming this run's own Redis queue."""
    assert not settings.embedded, "the real worker runs on the PostgreSQL backend"
    from celery.contrib.testing.worker import start_worker

    from tasks.celery_app import celery

    with start_worker(celery, pool="solo", perform_ping_check=False, shutdown_timeout=20,
                      loglevel="WARNING") as worker:
        yield worker


@pytest.fixture(scope="session")
def delivery(request, settings):
    """How committed outbox messages get delivered: in process (SQLite) or by the real worker."""
    if not settings.embedded and backends.WORKER == "thread":
        return request.getfixturevalue("celery_worker")
    return None  # SQLite: in process; TEST_WORKER=subprocess: the tests run their own worker processes


@pytest.fixture(autouse=True)
def _fresh_state(app, ambient_app, smtp_server, delivery):
    """Each test starts with empty tables (reference data kept), an empty mailbox and no rate limits."""
    _, mailbox = smtp_server
    mailbox.clear()
    with ambient_app.app_context():
        limiter.reset()
        yield
        database.session.rollback()
    _truncate()


def _truncate() -> None:
    """Empty the tables. On PostgreSQL the worker may still be finishing this test's messages: give it
    a moment to go quiet, and try again if the truncation deadlocks with it."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables) if t.name not in KEEP]
    if database.engine.dialect.name != "postgresql":
        with database.engine.begin() as connection:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
            _restore_reference_data(connection)
        return
    _wait_for_quiet_outbox()
    for attempt in range(5):
        try:
            with database.engine.begin() as connection:
                connection.execute(text("SET LOCAL lock_timeout = '30s'"))
                connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
                _restore_reference_data(connection)
            return
        except OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.5)


def _wait_for_quiet_outbox(seconds: float = 5.0, settled: float = 2.0) -> None:
    """Until no message is pending, or the pending ones have stayed the same for `settled` seconds (a test that
    leaves messages unsent on purpose: the worker is not delivering them), at most `seconds`."""
    deadline = time.monotonic() + seconds
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        with database.engine.connect() as connection:
            pending = connection.execute(text(
                "SELECT id, attempts FROM outbox_messages WHERE status = 'pending' ORDER BY id")).all()
        if not pending:
            return
        if pending != last:
            last, since = pending, time.monotonic()
        elif time.monotonic() - since >= settled:
            return
        time.sleep(0.05)


def _restore_reference_data(connection) -> None:
    """Put back what admin tests change in the kept agencies, their domains and skills (added, retired, merged,
    moved rows)."""
    _restore_domains(connection)
    for table, column in (("agencies", "name"), ("skills", "name")):
        known = REFERENCE_NAMES.get(table)
        if known is None:
            REFERENCE_NAMES[table] = set(connection.execute(text(f"SELECT {column} FROM {table}")).scalars())
            continue
        for name in set(connection.execute(text(f"SELECT {column} FROM {table}")).scalars()) - known:
            connection.execute(text(f"DELETE FROM {table} WHERE {column} = :name"), {"name": name})
    connection.execute(text("UPDATE skills SET retired = false WHERE retired"))
    connection.execute(text("UPDATE agencies SET active = true, merged_into_id = NULL WHERE NOT active"))


REFERENCE_NAMES: dict[str, set[str]] = {}
REFERENCE_DOMAINS: dict[str, list[dict]] = {}


def _restore_domains(connection) -> None:
    """The shipped agency domains exactly as loaded: tests add, move, share and retire them."""
    tables = ("email_domains", "email_domain_agencies")
    if not REFERENCE_DOMAINS:
        for table in tables:
            REFERENCE_DOMAINS[table] = [dict(r) for r in connection.execute(text(f"SELECT * FROM {table}")).mappings()]
        return
    for table in reversed(tables):
        connection.execute(text(f"DELETE FROM {table}"))
    for table in tables:
        rows = REFERENCE_DOMAINS[table]
        if rows:
            connection.execute(text(f"INSERT INTO {table} ({', '.join(rows[0])}) "
                                    f"VALUES ({', '.join(':' + c for c in rows[0])})"), rows)


@pytest.fixture
def mailbox(smtp_server):
    return smtp_server[1]


@pytest.fixture
def session(app):
    return database.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def web(client) -> Web:
    return Web(client)


@pytest.fixture
def kept_cards(app):
    """An empty cache of rendered cards (portal/cards.py) for one test: the app, and so its cache, outlives a test."""
    from portal import cards

    app.extensions["cards"] = cards.CardCache()
    return app.extensions["cards"]


def sign_in(web: Web, user) -> None:
    response = web.submit("/sign-in", {"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def make_user(session):
    def make(**kwargs):
        person = factories.user(session, **kwargs)
        session.commit()
        return person
    return make


@pytest.fixture
def signed_in(web, make_user):
    """A Web client signed in as a fresh verified employee (or as `signed_in(user)`)."""
    def as_user(user=None, **kwargs):
        user = user or make_user(**kwargs)
        sign_in(web, user)
        return user
    return as_user
