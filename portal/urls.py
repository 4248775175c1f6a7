"""Record ids in URLs, and absolute links for e-mail and documents.

External links are always on PORTAL_BASE_URL whatever host served the request, built from the URL map
directly, so they work in requests, Celery tasks and CLI sweeps alike.
"""
from __future__ import annotations

from flask import current_app
from werkzeug.routing import IntegerConverter, Map

from portal.forms import LARGEST_NUMBER, whole_number

# PostgreSQL's integer column; SQLite's is wider, and the portal keeps to the narrower one on both.
RECORD_ID_MAX = LARGEST_NUMBER


class RecordIdConverter(IntegerConverter):
    """`<id:opportunity_id>`: a record id is 1..2^31-1, so any other number is "no such page" (404)
    before a query is made, instead of a database error on an id the column cannot hold."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=RECORD_ID_MAX)


def record_id(text: str) -> int | None:
    """A record id typed into a query or form (the audit log's filter), or None when it cannot be one."""
    return whole_number(text.strip(), 1, RECORD_ID_MAX)


def external_url(endpoint: str, **values) -> str:
    adapter = current_app.url_map.bind("portal.invalid")
    return current_app.config["SETTINGS"].portal_base_url + adapter.build(endpoint, values)
