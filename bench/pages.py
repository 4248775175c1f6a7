"""Page benchmark: search, an opportunity, My applications and the owner's applicants list under gunicorn
at 50 clients with wrk, the bare route on the same settings (driven before the first run and after every run: each
page three times for 10 s, in turn with the others), and SQL statements per request.

    .venv/bin/python -m bench.pages --database-url URL [--duration 10s] [--rounds 3] [--compare-url SMALLER_DB_URL]

Gunicorn runs as the README runs it in production (bench/search_load.py: 4 sync workers, Redis, PostgreSQL),
each page signed in as the person it is for (bench/generate.py ACCOUNTS). Statements are counted in this
process: each path is requested twice through the Flask test client with the same settings and database,
signed in as the same person, and a SQLAlchemy `before_cursor_execute` listener on the engine counts the
second request's statements (caches warm, as under load). With --compare-url the same count runs on a
database generated at another scale, and each page says whether its count stayed the same.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from bench.generate import ACCOUNTS, PASSWORD, featured_ids
from bench.search_load import SEARCHES, WORKERS, drive, server_env, session_cookie, start_gunicorn, stop

BARE = ("bare route", None, ["/healthz"])
# The pages are driven in turn, a few short runs each, with the bare route before the first run and after every run;
# each page's share is of the mean of the two bare runs either side of each of its runs: on shared cores the
# machine's speed drifts by a quarter over minutes, and one long run per page lends whatever drift falls in it to that
# page alone.
BARE_RUN = "bare route"
TARGET_P99_MS = 100
# Issue 14: each page's throughput as a share of the bare route's in the same run, on a quiet machine.
TARGET_SHARES = {"search (3 queries)": 0.50, "opportunity page": 0.50, "My applications": 0.35,
                 "applicants (owner)": 0.30}
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
MARK = "The latest figures come first; the \"History\" sections after them are earlier runs, kept to show what changed."


def share(figure: dict) -> str:
    """A page's throughput as a share of the bare route's either side of it, to three places (blank for the bare
    route): two would show 0.496 as 0.50, a target it does not meet."""
    if "bare" not in figure:
        return ""
    try:
        return f"{float(figure['req/s']) / figure['bare']:.3f}"
    except (ValueError, ZeroDivisionError):
        return "?"


def meets(name: str, figure: dict) -> str:
    if name not in TARGET_SHARES:
        return ""
    try:
        return "yes" if float(figure["req/s"]) / figure["bare"] >= TARGET_SHARES[name] else "no"
    except (ValueError, ZeroDivisionError):
        return "?"


def machine(database_url: str) -> str:
    """Where the figures were measured: processor, cores, memory, load, Python and PostgreSQL versions."""
    import psycopg

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown processor")
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://", 1)) as connection:
        server = connection.execute("SHOW server_version").fetchone()[0]
    return (f"{os.cpu_count()} vCPU {cpu}, {memory} GiB RAM, {platform.platform(terse=True)}, Python "
            f"{platform.python_version()}, PostgreSQL {server}; 1-minute load average {os.getloadavg()[0]:.1f} at the "
            f"end")


def record(lines: list[str], database_url: str) -> None:
    """Put this run's table at the top of bench/RESULTS.md, with the date and the machine."""
    when = datetime.now(timezone.utc).strftime("%d %B %Y, %H:%M UTC")
    section = "\n".join([f"## Pages: `bench/pages.py`, {when}", "", machine(database_url), "", *lines, ""])
    text = RESULTS.read_text()
    head, found, rest = text.partition(MARK)
    RESULTS.write_text(f"{head}{MARK}\n\n{section}{rest}" if found else f"{text}\n{section}")
    print(f"written to {RESULTS}")


def pages(ids: dict[str, int]) -> list[tuple[str, str | None, list[str]]]:
    """(page, account it is signed in as, paths driven in rotation)."""
    return [("search (3 queries)", "viewer", SEARCHES),
            ("opportunity page", "viewer", [f"/opportunities/{ids['detail']}"]),
            ("My applications", "viewer", ["/applications"]),
            ("applicants (owner)", "owner", [f"/opportunities/{ids['busy']}/applicants"])]


def count_statements(database_url: str) -> dict[str, list[int]]:
    """Statements per request for every path of every page, in the order pages() lists them."""
    from sqlalchemy import event

    from portal import create_app
    from portal.config import Settings
    from portal.extensions import db
    from portal.models import User

    ids = featured_ids(database_url)
    counted: list[str] = []
    result: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as instance:
        app = create_app(Settings.from_env(server_env(database_url, 8765, instance)))
        event.listen(db.engine, "before_cursor_execute", lambda *args: counted.append(args[2]))
        with app.app_context():
            logins = {role: db.session.get(User, ids[role]).get_id() for role in ACCOUNTS}
        for name, role, paths in pages(ids) + [BARE]:
            client = app.test_client()
            if role:
                with client.session_transaction() as browser:
                    browser["_user_id"], browser["_fresh"] = logins[role], True
            result[name] = []
            for path in paths:
                for _ in range(2):
                    counted.clear()
                    response = client.get(path)
                    if response.status_code != 200:
                        raise SystemExit(f"{path} answered {response.status_code} in process")
                result[name].append(len(counted))
        db.engine.dispose()
    return result


def milliseconds(figure: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", figure).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def load(database_url: str, connections: int, duration: str, port: int, rounds: int) -> dict[str, dict]:
    """wrk on the bare route, then `rounds` times over: each page followed by the bare route again, on one gunicorn.
    Each page's figures are over its runs: req/s their mean, `bare` the mean of the bare runs either side of each,
    p50 their median, p99 the worst, non-2xx the sum, and the 1-minute load average before its first run."""
    ids = featured_ids(database_url)
    base = f"http://127.0.0.1:{port}"
    runs: dict[str, list[dict]] = {}
    bare: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as instance:
        server = start_gunicorn(database_url, port, WORKERS, 1, instance)
        try:
            cookies = {role: session_cookie(base, email, PASSWORD, "/applications") for role, email in ACCOUNTS.items()}

            def run(name: str, role: str | None, paths: list[str]) -> float:
                loadavg = os.getloadavg()[0]
                figure = dict(drive(base, paths, cookies[role] if role else "", connections, duration, instance,
                                    WORKERS), load=loadavg)
                runs.setdefault(name, []).append(figure)
                print(f"  {name}: {figure['req/s']} req/s, p50 {figure['p50']}, p99 {figure['p99']} (load average "
                      f"{loadavg:.1f})", flush=True)
                return float(figure["req/s"])

            before = run(BARE_RUN, None, BARE[2])
            for _ in range(rounds):
                for name, role, paths in pages(ids):
                    run(name, role, paths)
                    after = run(BARE_RUN, None, BARE[2])
                    bare.setdefault(name, []).append((before + after) / 2)
                    before = after
        finally:
            stop(server)
    return {name: dict(combined(figures), **({"bare": sum(bare[name]) / len(bare[name])} if name in bare else {}))
            for name, figures in runs.items()}


def combined(figures: list[dict]) -> dict:
    """One page's runs as one row (see `load`)."""
    latencies = sorted(milliseconds(f["p50"]) for f in figures if f["p50"] != "?")
    worst = [milliseconds(f["p99"]) for f in figures if f["p99"] != "?"]
    return {"req/s": f"{sum(float(f['req/s']) for f in figures) / len(figures):.2f}", "runs": len(figures),
            "p50": f"{latencies[len(latencies) // 2]:.2f}ms" if latencies else "?",
            "p99": f"{max(worst):.2f}ms" if len(worst) == len(figures) else "?",
            "errors": str(sum(int(f["errors"]) for f in figures)), "load": figures[0]["load"],
            "range": (min(float(f["req/s"]) for f in figures), max(float(f["req/s"]) for f in figures))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--compare-url", help="a database generated at another scale, for statements per page")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", default="10s", help="each run's length")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each page, each followed by the bare route")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--statements-only", action="store_true", help="print the counts as JSON and stop")
    parser.add_argument("--no-record", dest="record", action="store_false",
                        help="print the table only, without writing it into bench/RESULTS.md")
    args = parser.parse_args()
    statements = count_statements(args.database_url)
    if args.statements_only:
        print(json.dumps(statements))
        return
    other = None
    if args.compare_url:  # its own process: the app and its engine are configured once per process
        other = json.loads(subprocess.run([sys.executable, "-m", "bench.pages", "--database-url", args.compare_url,
                                           "--statements-only"], capture_output=True, text=True,
                                          check=True).stdout.strip().splitlines()[-1])
    figures = load(args.database_url, args.connections, args.duration, args.port, args.rounds)
    low, high = figures[BARE_RUN]["range"]
    lines = [f"{args.connections} connections, gunicorn {WORKERS} sync workers (README's production command), Redis "
             f"and PostgreSQL on this machine, wrk on the same cores. Each page is driven {args.rounds} times for "
             f"{args.duration}, in turn with the others, and the bare route before the first run and after every run "
             f"({figures[BARE_RUN]['runs']} runs, {low:.0f}-{high:.0f} req/s): a page's req/s is the mean of its runs "
             f"and its share is of the mean of the bare runs either side of each, so the machine's drift over minutes "
             f"falls on every page alike. p50 is the median run's, p99 the worst run's.", "",
             "| page | req/s | of bare route | target share | met | p50 | p99 | non-2xx | statements/request | "
             "at the other scale | same | load avg |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, figure in figures.items():
        counted = BARE[0] if name == BARE_RUN else name
        mine, theirs = statements[counted], (other or {}).get(counted)
        same = "" if theirs is None else ("yes" if theirs == mine else "NO")
        target = f"{TARGET_SHARES[name]:.2f}" if name in TARGET_SHARES else ""
        lines.append(f"| {name} | {figure['req/s']} | {share(figure)} | {target} | {meets(name, figure)} | "
                     f"{figure['p50']} | {figure['p99']} | {figure['errors']} | {' / '.join(map(str, mine))} | "
                     f"{' / '.join(map(str, theirs)) if theirs else ''} | {same} | {figure['load']:.1f} |")
    print("\n" + "\n".join(lines))
    if args.record:
        record(lines, args.database_url)
    slow = [name for name, figure in figures.items() if figure["p99"] == "?" or milliseconds(figure["p99"]) >= TARGET_P99_MS]
    print(f"p99 under {TARGET_P99_MS} ms: {'every page' if not slow else 'not met by ' + ', '.join(slow)}")
    if other is not None:
        changed = [name for name in statements if other.get(name) != statements[name]]
        print(f"statements per page the same at both scales: {'yes' if not changed else 'NO: ' + ', '.join(changed)}")


if __name__ == "__main__":
    main()
