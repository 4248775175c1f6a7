"""Building a second app in a test: the factory rebinds the e-mail publisher and the worker's app, so both
are given back to the run's own app at once."""
from __future__ import annotations

from flask import Flask

import tasks
from portal import create_app, outbox
from portal.config import Settings
from portal.extensions import db


def another_app(app: Flask, settings: Settings) -> Flask:
    """An app built by the factory from `settings`; the run's publisher (in process on SQLite) and the worker's
    app (`app`) stay as they were."""
    publish = outbox.publisher(db.session_factory)
    made = create_app(settings)
    outbox.publish_after_commit(db.session_factory, publish)
    tasks.bind(app, app.extensions["sweeps"])
    return made
