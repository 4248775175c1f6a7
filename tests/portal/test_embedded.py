"""`flask serve` (what `make run` ends with): web server and a real Celery worker, stopped together by Ctrl-C.

Runs the real command in a scratch instance folder on the embedded default (SQLite, `sqla+sqlite`
broker, mail to files), registers a person over HTTP and waits for the worker to write the e-mail.
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
SERVICE_VARIABLES = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SMTP_HOST", "SMTP_PORT", "SECRET_KEY",
                     "RATELIMIT_STORAGE_URI", "PORTAL_BASE_URL"}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError(f"{what} within {timeout}s")


def _answers(url: str) -> bool:
    try:
        return urllib.request.urlopen(url, timeout=2).status == 200
    except OSError:
        return False


def _group_alive(pgid: int) -> bool:
    """Whether any process (the worker, or the beat process it started) is left in the worker's group."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def embedded(tmp_path):
    """A `flask serve` of its own on a free port; always stopped, whatever the test did."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(INSTANCE_DIR=str(tmp_path), FLASK_APP="wsgi")  # no PORTAL_BASE_URL: the port decides the links
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "flask", "serve", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        yield process, f"http://127.0.0.1:{port}", tmp_path
    finally:
        log.close()
        started = re.search(r"started \(pid (\d+)\)", (tmp_path / "serve.log").read_text())
        for group in [process.pid] + ([int(started.group(1))] if started else []):
            if _group_alive(group):
                os.killpg(group, signal.SIGKILL)
        process.wait()


def _register(base: str, email: str) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/register").read().decode()
    form = {"csrf_token": CSRF.search(page).group(1), "name": "Ada Embedded", "email": email,
            "password": "a long enough password", "confirm": "a long enough password"}  # agency from the domain
    opener.open(f"{base}/register", urllib.parse.urlencode(form).encode())


def test_serve_delivers_mail_through_the_worker_and_ctrl_c_stops_both(embedded):
    process, base, instance = embedded
    _wait_for(lambda: _answers(f"{base}/"), 60, "the portal did not answer")
    def log_text() -> str:
        return (instance / "serve.log").read_text()

    worker_pid = int(_wait_for(lambda: re.search(r"started \(pid (\d+)\)", log_text()), 10, "no worker").group(1))

    _register(base, "ada.embedded@dta.gov.au")

    mail = _wait_for(lambda: list((instance / "mail").glob("*.eml")), 30, "no e-mail file was written")
    text = mail[0].read_text()
    assert "ada.embedded@dta.gov.au" in text
    links = re.findall(r"https?://[\w.:-]+/", text)
    assert links and set(links) == {f"{base}/"}, links  # queued by the web server, rendered by the worker
    _wait_for(lambda: re.search(r"deliver_outbox\[[\w-]+\] succeeded", log_text()), 10, "the worker did not log it")
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=30) == 0
    _wait_for(lambda: not _group_alive(worker_pid), 5, "the worker or beat outlived Ctrl-C")
    assert "Stopping the portal and its worker" in log_text()


def test_serve_shows_the_dev_mail_page_here_only_and_names_no_server_version(embedded):
    """`flask serve` opts in to the development mail page by itself (DEV_MAIL_PAGE is not set here)."""
    _, base, _ = embedded
    _wait_for(lambda: _answers(f"{base}/"), 60, "the portal did not answer")

    with urllib.request.urlopen(f"{base}/dev/mail/", timeout=5) as page:
        assert page.status == 200
        server = page.headers.get("Server", "")
    proxied = urllib.request.Request(f"{base}/dev/mail/", headers={"X-Forwarded-For": "203.0.113.9"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(proxied, timeout=5)

    assert refused.value.code == 404
    assert not re.search(r"\d", server) and "Werkzeug" not in server and "Python" not in server, server


def test_gunicorn_names_no_server_version(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(INSTANCE_DIR=str(tmp_path))
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
                                "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def server_header() -> str | None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/no-such-file", timeout=2) as response:
                    return response.headers.get("Server")
            except urllib.error.HTTPError as answered:
                return answered.headers.get("Server")
            except OSError:
                return None

        server = _wait_for(server_header, 30, "gunicorn did not answer")
    finally:
        process.terminate()
        process.wait(timeout=30)

    assert not re.search(r"\d", server), server


def test_serve_on_a_port_makes_e_mailed_links_use_it_unless_the_public_address_is_set(settings):
    from portal.config import served_on, worker_environment

    on_5123 = served_on(settings, 5123, env={})
    public = served_on(settings, 5123, env={"PORTAL_BASE_URL": "https://opportunities.example.gov.au"})

    assert on_5123.portal_base_url == "http://127.0.0.1:5123"
    assert public.portal_base_url == settings.portal_base_url
    assert worker_environment(on_5123)["PORTAL_BASE_URL"] == "http://127.0.0.1:5123"


def test_the_app_flask_serve_runs_builds_links_on_its_port(app, monkeypatch):
    from portal.cli import serving_app
    from portal.urls import external_url
    from tests.support.apps import keeping_the_run_app

    monkeypatch.delenv("PORTAL_BASE_URL", raising=False)
    with app.app_context(), keeping_the_run_app(app):
        served = serving_app(5123)
    with served.test_request_context("/"):
        assert external_url("accounts.login").startswith("http://127.0.0.1:5123/")
        assert served.config["SETTINGS"].shows_dev_mail
