"""Run Alembic from code: the only way the schema is made, in development, tests and production."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from portal.search_schema import is_search_object

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = database_url
    return config


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Search structures are dialect-specific and made by hand in migrations: autogenerate leaves them out."""
    return not is_search_object(name, type_)


def upgrade(database_url: str, revision: str = "head") -> None:
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)
