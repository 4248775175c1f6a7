"""/readyz against real services: the portal served by gunicorn (two workers, Prometheus multiprocess mode) on
this run's database and a private Redis of its own, which the test stops. The shared Redis is never touched."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support.backends import PrivateRedis
from tests.support.smtp import free_port

ROOT = Path(__file__).resolve().parents[3]


def _get(url: str, opener=None) -> tuple[int, str]:
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def served(settings, tmp_path):
    """(base URL, the private Redis) with gunicorn serving the portal on them."""
    redis_server = PrivateRedis.start(tmp_path)
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    env = dict(os.environ, INSTANCE_DIR=str(settings.instance_dir), DATABASE_URL=settings.database_url,
               REDIS_URL=redis_server.url, SECRET_KEY="readiness-test", PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
               PORTAL_BASE_URL=f"http://127.0.0.1:{port}", CELERY_QUEUE=f"readyz-{port}", READINESS_TIMEOUT_SECONDS="1")
    env.pop("SMTP_HOST", None)
    metrics_dir.mkdir()
    gunicorn = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:portal.ops.gunicorn", "--workers", "2",
                                 "--bind", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while _get_or_none(base + "/healthz") != 200:
            assert gunicorn.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield base, redis_server
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=20)
        redis_server.stop()


def _get_or_none(url: str) -> int | None:
    try:
        return _get(url)[0]
    except OSError:
        return None


def test_readyz_names_redis_and_the_broker_when_redis_stops_while_pages_still_serve(served):
    base, redis_server = served
    status, body = _get(base + "/readyz")
    assert (status, json.loads(body)) == (200, {"status": "ok",
                                                "checks": {"database": "ok", "redis": "ok", "broker": "ok"}})

    redis_server.stop()
    status, body = _get(base + "/readyz")

    assert status == 503
    assert json.loads(body) == {"status": "unavailable",
                                "checks": {"database": "ok", "redis": "failed", "broker": "failed"}}
    assert "redis://" not in body and "127.0.0.1" not in body
    assert _get(base + "/healthz")[0] == 200
    assert _get(base + "/")[0] == 200 and _get(base + "/help/")[0] == 200
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    assert _get(base + "/sign-in", browser)[0] == 200

    redis_server.restart()
    assert json.loads(_get(base + "/readyz")[1])["status"] == "ok"


def test_metrics_are_summed_across_gunicorn_workers_from_the_shared_folder(served, tmp_path):
    base, _ = served
    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(lambda _: _get(base + "/help/")[0], range(12))) == {200}

    status, body = _get(base + "/metrics")

    assert status == 200
    assert list((tmp_path / "metrics").glob("counter_*.db"))
    samples = [s for family in text_string_to_metric_families(body) for s in family.samples
               if s.name == "oneaps_http_requests_total" and s.labels.get("route") == "/help/"]
    assert sum(s.value for s in samples) == 12
