"""Time every registered sweep (portal/sweeps.py) over the whole generated database, each for real
(dry_run=False) inside a transaction that is rolled back, so every sweep sees the data as generated.

    .venv/bin/python -m bench.sweeps --database-url URL [--explain]

Prints each sweep's time, the number of e-mails or changes it made, and the SQL statements it ran;
target: under 5 s each. --explain prints EXPLAIN ANALYZE of the slowest statement of each sweep.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time

from bench.search_load import server_env

TARGET_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("names", nargs="*", help="only these sweeps")
    args = parser.parse_args()

    from sqlalchemy import event

    from portal import create_app
    from portal.config import Settings
    from portal.extensions import db
    from portal.sweeps import load_all

    statements: list[tuple[float, str, object]] = []
    started: dict[int, float] = {}

    def before(connection, cursor, statement, parameters, context, executemany):
        started[id(cursor)] = time.perf_counter()

    def after(connection, cursor, statement, parameters, context, executemany):
        statements.append((time.perf_counter() - started.pop(id(cursor), time.perf_counter()), statement, parameters))

    with tempfile.TemporaryDirectory() as instance:
        app = create_app(Settings.from_env(server_env(args.database_url, 8765, instance)))
        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)
        rows = []
        with app.app_context():
            sweeps = load_all()
            for name in args.names or sorted(sweeps):
                session = db.new_session()
                statements.clear()
                try:
                    began = time.perf_counter()
                    lines = sweeps[name](session, False)
                    session.flush()
                    seconds = time.perf_counter() - began
                    slowest = max(statements, default=(0.0, "", None), key=lambda s: s[0])
                    if args.explain and slowest[1]:
                        plan = session.connection().exec_driver_sql("EXPLAIN ANALYZE " + slowest[1], slowest[2])
                        print(f"-- {name}: slowest statement {slowest[0] * 1000:.0f} ms\n{slowest[1]}")
                        print("\n".join(row[0] for row in plan))
                finally:
                    session.rollback()
                    session.close()
                in_sql = sum(s[0] for s in statements)
                rows.append((name, seconds, len(lines), len(statements), in_sql, slowest[0], os.getloadavg()[0]))
                print(f"  {name}: {seconds:.2f} s, {len(lines)} sent or changed", flush=True)
        db.engine.dispose()
    print("\n| sweep | time | sent or changed | SQL statements | of the time in SQL | slowest statement | load avg |")
    print("|---|---|---|---|---|---|---|")
    for name, seconds, sent, count, in_sql, slowest, loadavg in rows:
        print(f"| {name} | {seconds:.2f} s | {sent:,} | {count:,} | {in_sql:.2f} s | {slowest * 1000:.0f} ms "
              f"| {loadavg:.1f} |")
    slow = [row[0] for row in rows if row[1] >= TARGET_SECONDS]
    print(f"each sweep under {TARGET_SECONDS:g} s: {'yes' if not slow else 'NO: ' + ', '.join(slow)}")


if __name__ == "__main__":
    main()
