"""Absolute links for e-mail and documents, always on PORTAL_BASE_URL whatever host served the request."""
from __future__ import annotations

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    return current_app.config["SETTINGS"].portal_base_url + url_for(endpoint, **values)
