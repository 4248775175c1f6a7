"""The migrations are the only way the schema is made, so they must build exactly what the models say."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from portal.extensions import db
from portal.migrate import downgrade, include_object, upgrade
from portal.models import Base
from tests.support import backends


def _differences(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object,
                                                               "compare_type": True})
        return compare_metadata(context, Base.metadata)


@pytest.fixture
def scratch_url(tmp_path) -> Iterator[str]:
    """An empty database of its own: a temporary file on SQLite, a second scratch database on PostgreSQL."""
    if backends.BACKEND == "postgres":
        scratch = backends.ScratchDatabase.create()
        try:
            yield scratch.url
        finally:
            scratch.drop()
    else:
        yield f"sqlite:///{tmp_path / 'scratch.db'}"


def test_autogenerate_finds_no_difference_between_models_and_migrations(app):
    assert _differences(db.engine) == []


def test_downgrade_to_base_then_upgrade_again_rebuilds_the_same_schema(scratch_url):
    upgrade(scratch_url)
    downgrade(scratch_url, "base")
    engine = create_engine(scratch_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(scratch_url)
        assert {t.name for t in Base.metadata.sorted_tables} <= set(inspect(engine).get_table_names())
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_queued_jobs_stored_as_e_mails_become_jobs_and_back(scratch_url):
    """0014: a `job:` row with a blank recipient (how jobs were queued before) becomes a job with no recipient."""
    upgrade(scratch_url, "0009")
    engine = create_engine(scratch_url)
    insert = text("INSERT INTO outbox_messages (idempotency_key, template, category, recipient, context, attachments, "
                  "status, attempts, created_at) VALUES (:key, :template, :category, :recipient, '{}', '[]', "
                  "'pending', 0, CURRENT_TIMESTAMP)")
    rows = text("SELECT idempotency_key, kind, template, recipient, category FROM outbox_messages "
                "ORDER BY idempotency_key")
    try:
        with engine.begin() as connection:
            connection.execute(insert, {"key": "job:arrangement:7:confirmed", "template": "job:render-arrangement",
                                        "category": "job", "recipient": ""})
            connection.execute(insert, {"key": "application:7:v3:application_confirmed:sam@example.gov.au",
                                        "template": "application_confirmed", "category": "my_applications",
                                        "recipient": "sam@example.gov.au"})
        upgrade(scratch_url)
        with engine.connect() as connection:
            assert connection.execute(rows).all() == [
                ("application:7:v3:application_confirmed:sam@example.gov.au", "email", "application_confirmed",
                 "sam@example.gov.au", "my_applications"),
                ("job:arrangement:7:confirmed", "job", "render-arrangement", None, "general")]
        downgrade(scratch_url, "0009")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT template, recipient, category FROM outbox_messages "
                                           "ORDER BY idempotency_key")).all() == [
                ("application_confirmed", "sam@example.gov.au", "my_applications"), ("job:render-arrangement", "", "job")]
    finally:
        engine.dispose()
