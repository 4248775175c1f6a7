"""Drive the search page under gunicorn with wrk: three typical searches, 50 connections, p50/p99 and req/s.

    .venv/bin/python bench/search_load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/oneaps_bench

Starts gunicorn on 127.0.0.1 against the database bench/generate.py filled, signs in as the bench
viewer to get a session cookie, then runs wrk (Debian package `wrk`) with a Lua script that rotates
the three searches. Only ever talks to 127.0.0.1. Stops the gunicorn it started.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = ["/opportunities?q=user+research",
            "/opportunities?q=data&mode=remote&sort=closing",
            "/opportunities?kind=project&band=up_to_1_day"]
LUA = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1], {["Cookie"] = "%s"})
end
"""


def start_gunicorn(database_url: str, port: int, workers: int, threads: int, instance: str) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=database_url, INSTANCE_DIR=instance, SECRET_KEY="bench-secret",
               PORTAL_BASE_URL=f"http://127.0.0.1:{port}")
    env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")  # production has Redis
    command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers",
               str(workers), "--threads", str(threads), "--log-level", "warning", "wsgi:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
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


def session_cookie(base: str, email: str, password: str) -> str:
    """Sign in like a browser (CSRF token from the form) and return the Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/sign-in", timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
    opener.open(f"{base}/sign-in", data=form, timeout=10)
    check = opener.open(f"{base}{SEARCHES[0]}", timeout=10)
    if "/sign-in" in check.geturl():
        raise SystemExit(f"could not sign in as {email}: run bench/generate.py first")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def parse(output: str) -> dict[str, str]:
    figures = {}
    for label, pattern in (("p50", r"^\s+50%\s+(\S+)"), ("p99", r"^\s+99%\s+(\S+)"),
                           ("req/s", r"^Requests/sec:\s+(\S+)"), ("errors", r"Non-2xx or 3xx responses:\s+(\d+)")):
        found = re.search(pattern, output, re.MULTILINE)
        figures[label] = found.group(1) if found else ("0" if label == "errors" else "?")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", default="30s")
    parser.add_argument("--email", default="bench.viewer@example.gov.au")
    parser.add_argument("--password", default="benchmark password 2026")
    parser.add_argument("--path", action="append", dest="paths",
                        help="drive this path instead of the three searches (repeatable), e.g. /healthz "
                             "for the bare-route ceiling on the same gunicorn settings")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    base = f"http://127.0.0.1:{args.port}"
    paths = args.paths or SEARCHES
    with tempfile.TemporaryDirectory() as instance:
        server = start_gunicorn(args.database_url, args.port, args.workers, args.threads, instance)
        try:
            cookie = session_cookie(base, args.email, args.password)
            script = Path(instance) / "searches.lua"
            script.write_text(LUA % (", ".join(f'"{p}"' for p in paths), cookie))
            for path in paths:  # warm every worker's caches a little
                for _ in range(args.workers):
                    urllib.request.urlopen(urllib.request.Request(base + path, headers={"Cookie": cookie}),
                                           timeout=30)
            command = ["wrk", "-t", "2", "-c", str(args.connections), "-d", args.duration, "--timeout", "30s",
                       "--latency", "-s", str(script), base]
            result = subprocess.run(command, capture_output=True, text=True, check=True)
        finally:
            stop(server)
    print(result.stdout)
    figures = parse(result.stdout)
    print(f"{' '.join(paths)}: gunicorn workers={args.workers} threads={args.threads}, {args.connections} connections, "
          f"{args.duration}: p50 {figures['p50']}, p99 {figures['p99']}, {figures['req/s']} req/s, "
          f"non-2xx {figures['errors']}")


if __name__ == "__main__":
    main()
