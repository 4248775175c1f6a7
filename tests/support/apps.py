"""Building a second app in a test: the factory rebinds the e-mail publisher and the worker's app, so both
are given back to the run's own app at once."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from flask import Flask

import tasks
from portal import create_app, outbox
from portal.config import Settings
from portal.extensions import db


@contextmanager
def keeping_the_run_app(app: Flask) -> Iterator[None]:
    """Whatever builds an app inside leaves the run's publisher (in process on SQLite) and the worker's app
    (`app`) as they were."""
    publish = outbox.publisher(db.session_factory)
    try:
        yield
    finally:
        outbox.publish_after_commit(db.session_factory, publish)
        tasks.bind(app, app.extensions["sweeps"])


def another_app(app: Flask, settings: Settings) -> Flask:
    """An app built by the factory from `settings`, the run's own app kept bound."""
    with keeping_the_run_app(app):
        return create_app(settings)
