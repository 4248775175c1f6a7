"""The migrations are the only way the schema is made, so they must build exactly what the models say."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

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
