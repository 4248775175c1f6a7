"""Full-text search structures that differ per database; created by migration, used by search.

PostgreSQL: a generated tsvector column over `search_text` with a GIN index.
SQLite: an FTS5 table kept in step with `opportunities.search_text` by triggers.
"""
from __future__ import annotations

SEARCH_OBJECTS = {"search_vector", "ix_opportunities_search_vector", "ix_opportunities_open_search_vector",
                  "opportunity_fts"}


def is_search_object(name: str | None, type_: str) -> bool:
    return bool(name) and (name in SEARCH_OBJECTS or name.startswith("opportunity_fts"))


POSTGRES_UP = [
    "ALTER TABLE opportunities ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', coalesce(search_text, ''))) STORED",
    "CREATE INDEX ix_opportunities_search_vector ON opportunities USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_opportunities_search_vector",
    "ALTER TABLE opportunities DROP COLUMN IF EXISTS search_vector",
]
SQLITE_UP = [
    "CREATE VIRTUAL TABLE opportunity_fts USING fts5(search_text, content='opportunities', "
    "content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER opportunity_fts_ai AFTER INSERT ON opportunities BEGIN "
    "INSERT INTO opportunity_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER opportunity_fts_ad AFTER DELETE ON opportunities BEGIN "
    "INSERT INTO opportunity_fts(opportunity_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER opportunity_fts_au AFTER UPDATE OF search_text ON opportunities BEGIN "
    "INSERT INTO opportunity_fts(opportunity_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO opportunity_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS opportunity_fts_au",
    "DROP TRIGGER IF EXISTS opportunity_fts_ad",
    "DROP TRIGGER IF EXISTS opportunity_fts_ai",
    "DROP TABLE IF EXISTS opportunity_fts",
]


# Migration 0008: text searches only ever look at open opportunities (a tenth of the table in a marketplace a few
# years old), so a GIN index over those alone finds a word's open matches without reading the closed ones. The
# search compares the state with the literal 'open' so that even a generic plan can use it.
POSTGRES_OPEN_INDEX_UP = ["CREATE INDEX ix_opportunities_open_search_vector ON opportunities "
                          "USING gin (search_vector) WHERE state = 'open'"]
POSTGRES_OPEN_INDEX_DOWN = ["DROP INDEX IF EXISTS ix_opportunities_open_search_vector"]


def statements(dialect: str, up: bool = True) -> list[str]:
    if dialect == "postgresql":
        return POSTGRES_UP if up else POSTGRES_DOWN
    if dialect == "sqlite":
        return SQLITE_UP if up else SQLITE_DOWN
    return []
