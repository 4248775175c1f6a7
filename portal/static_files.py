"""Static files under fingerprinted addresses: `url_for('static', filename=...)` adds `v=` (the start of the file's
SHA-256), and a request for the current fingerprint is answered with a year's public, immutable caching, so a
browser fetches each version of a file once and a changed file gets a new address. Flask's static view already
answers If-None-Match / If-Modified-Since with 304."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, request

YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder or "").resolve()

    @lru_cache(maxsize=256)
    def _digest(path: Path, modified: float) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]

    def looked_up(filename: str) -> str:
        path = (folder / filename).resolve()
        if folder not in path.parents or not path.is_file():
            return ""
        return _digest(path, path.stat().st_mtime)

    # Static files change only with a deploy, which starts new workers: each file is looked up once a process (a
    # page links two or three, and a lookup is several system calls). In debug mode edits are followed at once.
    remembered = lru_cache(maxsize=256)(looked_up)

    def fingerprint(filename: str) -> str:
        return looked_up(filename) if app.debug else remembered(filename)

    @app.url_defaults
    def _add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = fingerprint(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def _cache_fingerprinted(response):
        version = request.args.get("v")
        if (request.endpoint == "static" and version and response.status_code in (200, 304)
                and version == fingerprint((request.view_args or {}).get("filename", ""))):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response
