"""Schemathesis against our own OpenAPI document, as `schemathesis run --checks all` would run it:
every phase (examples, coverage, fuzzing, stateful), valid and invalid data, every check.

Driven through schemathesis's engine from a plain test (its pytest plugin does not load under this
pytest), over HTTP to the app served on a free local port (the engine's WSGI transport is broken in
schemathesis 4): invalid data must be refused with a 4xx, valid data accepted, no 5xx, every response
as the document says, unsupported methods 405 with Allow."""
from __future__ import annotations

import threading

import pytest
import schemathesis
from werkzeug.serving import make_server
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema

from portal.extensions import limiter
from portal.models import Application, Notification
from tests.support import factories


@pytest.fixture
def served(app):
    """The app behind a real HTTP server on a free local port: its base URL."""
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def _run(base_url: str, headers: dict) -> tuple[list[str], set[str]]:
    """The failures (check, operation, message) and the checks that ran."""
    config = SchemathesisConfig()
    project = config.projects.override
    project.update(headers=headers)
    project.checks.update(included_check_names=["all"])
    project.phases.update(phases=["examples", "coverage", "fuzzing", "stateful"])
    project.generation.update(modes=["positive", "negative"], max_examples=25, database="none", deterministic=True)
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json", config=config)
    failures, ran = [], set()
    for event in from_schema(schema).execute():
        if isinstance(event, (events.NonFatalError, events.FatalError)):
            failures.append(f"error: {event}")
        recorder = getattr(event, "recorder", None)
        if isinstance(event, (events.ScenarioFinished, events.FuzzScenarioFinished)) and recorder is not None:
            for checks in recorder.checks.values():
                for check in checks:
                    ran.add(check.name)
                    if check.status == Status.FAILURE:
                        info = check.failure_info
                        failures.append(f"{check.name} on {recorder.label}: "
                                        f"{info.failure.title if info else ''} {info.failure.message if info else ''}")
    return failures, ran


def test_api_keeps_every_promise_of_its_openapi_document(served, token_for, make_user, session, monkeypatch):
    monkeypatch.setattr(limiter, "enabled", False)  # tested elsewhere; here every case should reach the endpoint
    user, headers = token_for()
    session.add_all([Notification(user_id=user.id, category="my_applications", title=f"Update {n}")
                     for n in range(3)])
    owner = make_user()
    for n in range(3):
        opportunity = factories.open_opportunity(session, owner, title=f"Opportunity {n}")
    session.add(Application(opportunity_id=opportunity.id, applicant_id=user.id, statement="Keen",
                            home_manager_name="Hana Home", home_manager_email="hana.home@dta.gov.au"))
    session.commit()

    failures, ran = _run(served, headers)

    assert not failures, "\n".join(dict.fromkeys(failures))
    assert {"not_a_server_error", "negative_data_rejection", "positive_data_acceptance", "unsupported_method",
            "response_schema_conformance", "status_code_conformance"} <= ran
