"""Tasks carry the request id of the work that queued them, log one JSON line each, and count failures."""
from __future__ import annotations

from celery import signals

from portal import logs, metrics
from tasks.celery_app import celery

REQUEST_ID = "task-0123456789abcdef"
seen: dict[str, str | None] = {}


@celery.task(name="tests.probe_request_id")
def probe_request_id() -> None:
    seen["request_id"] = logs.request_id()


@celery.task(name="tests.probe_failure")
def probe_failure() -> None:
    raise RuntimeError("the probe fails on purpose")


def test_a_task_queued_during_a_request_carries_its_id_in_the_message_headers(app):
    published: list[dict] = []

    def capture(headers=None, **_):
        published.append(dict(headers or {}))

    signals.before_task_publish.connect(capture)
    try:
        with app.test_request_context("/"):
            logs.use_request_id(REQUEST_ID)
            probe_request_id.apply_async()  # the run's own queue: its worker (PostgreSQL run) runs the probe
            logs.forget_request_id()
    finally:
        signals.before_task_publish.disconnect(capture)

    assert published and published[-1]["request_id"] == REQUEST_ID


def test_the_task_runs_with_the_id_it_was_given(app):
    probe_request_id.apply(headers={"request_id": REQUEST_ID})

    assert seen["request_id"] == REQUEST_ID
    assert logs.request_id() is None  # and drops it afterwards


def test_a_failing_task_is_counted(app):
    before = metrics.TASK_FAILURES.labels("tests.probe_failure")._value.get()

    result = probe_failure.apply(throw=False)

    assert result.state == "FAILURE"

    assert metrics.TASK_FAILURES.labels("tests.probe_failure")._value.get() == before + 1
