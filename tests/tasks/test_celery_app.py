"""The Celery app is bound by the portal's factory; tasks/ never builds the web app itself."""
from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import tasks
from portal.models import Opportunity
from tasks.celery_app import celery, flask_app
from tasks.sweeps import run_sweep
from tests.support import factories
from workflows import clock

ROOT = Path(__file__).resolve().parents[2]


def test_tasks_run_inside_the_app_the_factory_bound(app):
    assert flask_app() is app
    assert app.extensions["celery"] is celery is tasks.celery


def test_a_worker_started_without_the_factory_says_how_to_start_it():
    probe = "import tasks.celery_app as c\ntry:\n    c.flask_app()\nexcept RuntimeError as e:\n    print(e)\n"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "celery -A wsgi:celery worker" in done.stdout, done.stderr


def test_a_scheduled_sweep_runs_the_sweep_the_factory_collected(session):
    owner = factories.user(session, name="Olive Owner")
    forgotten = factories.open_opportunity(session, owner, deadline=clock.canberra_today() - timedelta(days=30))
    factories.open_opportunity(session, owner)
    session.commit()
    assert run_sweep("opportunity-expiry") == 1
    session.expire_all()
    assert session.get(Opportunity, forgotten.id).state == "expired"
