"""The embedded default in one command: the web server plus a real Celery worker with embedded beat.

The worker runs in its own session so a Ctrl-C reaches it only through us: we stop the web server
first, then ask the worker (and the beat process it started) to finish warmly, then make sure.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from portal.config import worker_environment

log = logging.getLogger(__name__)

STOP_WAIT_SECONDS = 15


def worker_command(instance_dir: Path, queue: str) -> list[str]:
    """A real worker (solo pool) that also runs beat, keeping its schedule file under instance/."""
    return [sys.executable, "-m", "celery", "-A", "wsgi:celery", "worker", "--beat", "--pool", "solo",
            "--loglevel", "INFO", "--hostname", "embedded@%h", "-Q", queue,
            "--schedule", str(instance_dir / "celerybeat-schedule")]


class _Handler(WSGIRequestHandler):
    """Werkzeug's handler without the versions of Werkzeug and Python in the Server header."""

    def version_string(self) -> str:
        return "oneAPS"


def serve(app: Flask, host: str, port: int) -> int:
    """Run until Ctrl-C / SIGTERM or until the worker dies; returns the exit status."""
    settings = app.config["SETTINGS"]
    server = make_server(host, port, app, threaded=True, request_handler=_Handler)
    queue = settings.celery_queue
    worker = subprocess.Popen(worker_command(settings.instance_dir, queue), start_new_session=True,
                              env=worker_environment(settings))
    lost_worker, stopping = threading.Event(), threading.Event()

    def watch_worker() -> None:
        worker.wait()
        if not stopping.is_set():
            lost_worker.set()
            log.error("the Celery worker stopped (exit status %s); shutting the portal down", worker.returncode)
            server.shutdown()

    threading.Thread(target=watch_worker, name="worker-watch", daemon=True).start()
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    print(f"Worker and scheduler started (pid {worker.pid}). Portal at http://{host}:{port} — Ctrl-C stops both.",
          flush=True)
    try:
        server.serve_forever()  # werkzeug's loop returns quietly on KeyboardInterrupt
    finally:
        stopping.set()
        print("\nStopping the portal and its worker…", flush=True)
        for sig in previous:  # a second Ctrl-C must not leave the worker behind
            signal.signal(sig, signal.SIG_IGN)
        server.server_close()
        _stop(worker)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 1 if lost_worker.is_set() else 0


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt


def _stop(worker: subprocess.Popen) -> None:
    """Warm shutdown (SIGTERM to the worker's process group), then SIGKILL if it will not go."""
    if worker.poll() is not None:
        return
    try:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=STOP_WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    except ProcessLookupError:
        pass
    try:  # beat's process, if it outlived the worker
        os.killpg(worker.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
