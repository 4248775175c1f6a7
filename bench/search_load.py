"""Drive the search page under gunicorn with wrk: three typical searches, 50 connections, p50/p99 and req/s.

    .venv/bin/python bench/search_load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/oneaps_bench

Starts gunicorn on 127.0.0.1 as the README runs it in production (4 sync workers, Redis configured)
against the database bench/generate.py filled, signs in as the bench viewer to get a session cookie,
then runs wrk (Debian package `wrk`) with a Lua script that rotates the three searches. Only ever
talks to 127.0.0.1. Stops the gunicorn it started. bench/pages.py drives the other pages through the
same functions.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/13"
WORKERS = 4  # the README's production command: gunicorn --workers 4
# Sent on sign-in and on every driven request, as a browser sends its own each time: Flask-Login's session
# protection compares it with the one the session was signed in with, and a different one would mark every request's
# session not fresh and send a new cookie back, work no browser causes.
USER_AGENT = "oneaps-bench"
SEARCHES = ["/opportunities?q=user+research",
            "/opportunities?q=data&mode=remote&sort=closing",
            "/opportunities?kind=project&band=up_to_1_day"]
LUA = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1], {["Cookie"] = "%s", ["User-Agent"] = "%s"})
end
"""


def server_env(database_url: str, port: int, instance: str) -> dict[str, str]:
    """The production settings the README documents, on loopback: PostgreSQL, Redis (a database number of
    the benchmark's own, so cached facet counts never mix with another run's), a fixed secret."""
    return {"DATABASE_URL": database_url, "INSTANCE_DIR": instance, "SECRET_KEY": "bench-secret",
            "PORTAL_BASE_URL": f"http://127.0.0.1:{port}", "REDIS_URL": REDIS_URL}


def start_gunicorn(database_url: str, port: int, workers: int, threads: int, instance: str) -> subprocess.Popen:
    """Gunicorn on a free loopback port (refused if another server holds it: wrk would measure that one)."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is already in use: pass another --port")
    env = dict(os.environ, **server_env(database_url, port, instance))
    redis.Redis.from_url(REDIS_URL).flushdb()  # the benchmark's own database: no pages cached by an earlier run
    command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers",
               str(workers), "--threads", str(threads), "--log-level", "warning", "wsgi:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10)
            return process
        except OSError:  # refused while binding, or slow while workers boot
            time.sleep(0.5)
    stop(process)
    raise SystemExit("gunicorn did not answer on /healthz within 60 s")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def session_cookie(base: str, email: str, password: str, check: str = SEARCHES[0]) -> str:
    """Sign in like a browser (CSRF token from the form) and return the Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(f"{base}/sign-in", timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
    opener.open(f"{base}/sign-in", data=form, timeout=10)
    if "/sign-in" in opener.open(f"{base}{check}", timeout=10).geturl():
        raise SystemExit(f"could not sign in as {email}: run bench/generate.py first")
    if opener.open(f"{base}{check}", timeout=10).headers.get("Set-Cookie"):
        raise SystemExit(f"{check} sends a new session cookie on every request: the bench would measure that")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def parse(output: str) -> dict[str, str]:
    figures = {}
    for label, pattern in (("p50", r"^\s+50%\s+(\S+)"), ("p99", r"^\s+99%\s+(\S+)"),
                           ("req/s", r"^Requests/sec:\s+(\S+)"), ("errors", r"Non-2xx or 3xx responses:\s+(\d+)")):
        found = re.search(pattern, output, re.MULTILINE)
        figures[label] = found.group(1) if found else ("0" if label == "errors" else "?")
    return figures


def drive(base: str, paths: list[str], cookie: str, connections: int, duration: str, workdir: str,
          warm: int) -> dict[str, str]:
    """wrk over the paths in rotation with this session cookie; slow answers are counted (30 s timeout)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    script = Path(workdir) / "paths.lua"
    script.write_text(LUA % (", ".join(f'"{p}"' for p in paths), cookie, USER_AGENT))
    for path in paths:  # warm every worker's caches a little
        for _ in range(warm):
            request = urllib.request.Request(base + path, headers={"Cookie": cookie, "User-Agent": USER_AGENT})
            urllib.request.urlopen(request, timeout=30)
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", duration, "--timeout", "30s", "--latency",
               "-s", str(script), base]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return dict(parse(output), output=output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", default="30s")
    parser.add_argument("--email", default="bench.viewer@example.gov.au")
    parser.add_argument("--password", default="benchmark password 2026")
    parser.add_argument("--path", action="append", dest="paths",
                        help="drive this path instead of the three searches (repeatable), e.g. /healthz "
                             "for the bare-route ceiling on the same gunicorn settings")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    paths = args.paths or SEARCHES
    with tempfile.TemporaryDirectory() as instance:
        server = start_gunicorn(args.database_url, args.port, args.workers, args.threads, instance)
        try:
            cookie = session_cookie(base, args.email, args.password)
            figures = drive(base, paths, cookie, args.connections, args.duration, instance, args.workers)
        finally:
            stop(server)
    print(figures["output"])
    print(f"{' '.join(paths)}: gunicorn workers={args.workers} threads={args.threads}, {args.connections} connections, "
          f"{args.duration}: p50 {figures['p50']}, p99 {figures['p99']}, {figures['req/s']} req/s, "
          f"non-2xx {figures['errors']}")


if __name__ == "__main__":
    main()
