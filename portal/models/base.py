"""Declarative base, constraint names Alembic can rely on, and a UTC timestamp type."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import ColumnElement, DateTime, MetaData, ScalarSelect, String, cast, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from workflows import clock

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stored as UTC; always read back as an aware UTC datetime, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(default=clock.utcnow, onupdate=clock.utcnow,
                                                 server_default=func.now())


def joined_ids(column: ColumnElement, *where: ColumnElement[bool]) -> ScalarSelect:
    """The ids in `column` of the rows matching `where`, as one comma-separated text ("" for none): a related
    collection's ids read in the statement that loads an object (a query_expression), without joining the rows."""
    return select(_comma_joined(cast(column, String))).where(*where).scalar_subquery()


def counts_by(column: ColumnElement, *where: ColumnElement[bool]) -> ScalarSelect:
    """How many rows matching `where` hold each value of `column`, as one text ("applied:3,confirmed:1"; "" for
    none): counts read in the statement that loads something else, from one pass over an index, in a few bytes of
    SQL and one column."""
    grouped = select(column.label("value"), func.count().label("n")).where(*where).group_by(column).subquery()
    return select(_comma_joined(grouped.c.value + ":" + cast(grouped.c.n, String))).scalar_subquery()


def _comma_joined(text: ColumnElement) -> ColumnElement:
    return func.coalesce(func.aggregate_strings(text, ","), "")


def counted(joined: str) -> dict[str, int]:
    """The counts `counts_by` read, by value."""
    return {value: int(count) for value, _, count in (part.rpartition(":") for part in joined.split(",") if part)}


def ids_in(joined: str) -> frozenset[int]:
    """The ids `joined_ids` read."""
    return frozenset(int(value) for value in joined.split(",") if value)
