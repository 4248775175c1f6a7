"""Absolute links for e-mail and documents, always on PORTAL_BASE_URL whatever host served the request.

Built from the URL map directly, so they work in requests, Celery tasks and CLI sweeps alike.
"""
from __future__ import annotations

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    adapter = current_app.url_map.bind("portal.invalid")
    return current_app.config["SETTINGS"].portal_base_url + adapter.build(endpoint, values)
