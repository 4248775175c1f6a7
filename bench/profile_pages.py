"""In-process timings of the benchmarked pages: milliseconds a request, of which SQL, this process's CPU time (the
figure that moves least when other work shares the cores) and statements.

    .venv/bin/python -m bench.profile_pages --database-url URL [--requests 30] [--profile "opportunity page"]

Figures that hold on a busy machine better than wrk's: each page is requested through the Flask test client
with the production settings (PostgreSQL, Redis: bench.search_load.server_env), signed in as the person it is
for, warmed, then timed; SQL time is the time between SQLAlchemy's before/after_cursor_execute events. With
--profile a page is also run under cProfile and its costliest functions are printed.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time

from bench.generate import ACCOUNTS, featured_ids
from bench.pages import BARE, pages
from bench.search_load import server_env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", action="append", default=[], help="a page name to run under cProfile")
    parser.add_argument("--sort", default="cumulative", help="how the profile is ordered (pstats: cumulative, tottime)")
    parser.add_argument("--lines", type=int, default=25)
    args = parser.parse_args()

    from sqlalchemy import event

    from portal import create_app
    from portal.config import Settings
    from portal.extensions import db
    from portal.models import User

    ids = featured_ids(args.database_url)
    sql = {"seconds": 0.0, "statements": 0, "started": 0.0}

    def before(*_):
        sql["started"] = time.perf_counter()

    def after(*_):
        sql["seconds"] += time.perf_counter() - sql["started"]
        sql["statements"] += 1

    with tempfile.TemporaryDirectory() as instance:
        app = create_app(Settings.from_env(server_env(args.database_url, 8765, instance)))
        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)
        with app.app_context():
            logins = {role: db.session.get(User, ids[role]).get_id() for role in ACCOUNTS}
        print("| page | ms a request | of which SQL | Python CPU ms | statements |")
        print("|---|---|---|---|---|")
        for name, role, paths in pages(ids) + [BARE]:
            client = app.test_client()
            if role:
                with client.session_transaction() as browser:
                    browser["_user_id"], browser["_fresh"] = logins[role], True
            for path in paths * 3:
                if client.get(path).status_code != 200:
                    raise SystemExit(f"{path} did not answer 200")
            sql.update(seconds=0.0, statements=0)
            started, cpu = time.perf_counter(), time.process_time()
            for n in range(args.requests):
                client.get(paths[n % len(paths)])
            elapsed = (time.perf_counter() - started) / args.requests
            cpu = (time.process_time() - cpu) / args.requests
            print(f"| {name} | {elapsed * 1000:.1f} | {sql['seconds'] / args.requests * 1000:.1f} | "
                  f"{cpu * 1000:.1f} | {sql['statements'] / args.requests:.1f} |", flush=True)
            if name in args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                for n in range(args.requests):
                    client.get(paths[n % len(paths)])
                profiler.disable()
                pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
        db.engine.dispose()


if __name__ == "__main__":
    main()
