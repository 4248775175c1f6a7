"""`make bench`: every benchmark in one go, against scratch PostgreSQL databases on this machine.

1. bench.generate at scale 0.1 (10,000 opportunities, 20,000 people, 100,000 applications), kept only
   for counting statements per page, then at scale 1 (100,000 / 200,000 / 1,000,000) with COPY;
2. bench.pages: search, an opportunity, My applications and the owner's applicants page, each three times for
   10 s in turn with the others and the bare route after every run, at 50 concurrent clients under gunicorn with
   the production settings, and statements per request at both scales; 3. bench.sweeps: every reminder sweep over the full data;
4. bench.export_memory: a 100,000-row CSV export's peak memory; 5. bench.mail_throughput: 1,000 e-mails
   through Redis and a real worker to an SMTP sink. Both databases are dropped at the end.
Each prints its own figures; bench.pages also writes its table (each page's share of the bare route either side of it,
p50/p99, statements per request at both scales) at the top of bench/RESULTS.md with the date and the machine.
Needs PostgreSQL and Redis on loopback (as `make test` does) and wrk (`apt-get install -y wrk`).
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

import psycopg

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
DATABASE = "oneaps_bench_scale"
SMALL = "oneaps_bench_scale_small"


def _run(*args: str) -> None:
    print(f"\n== {' '.join(args)} (load average {os.getloadavg()[0]:.1f})", flush=True)
    subprocess.run([sys.executable, "-m", *args], check=True)


def _drop(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    started = time.perf_counter()
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    url, small = f"{base}/{DATABASE}", f"{base}/{SMALL}"
    try:
        for name in (SMALL, DATABASE):  # a clean start: ids and reminders are generated for a fresh database
            _drop(name)
        _run("bench.generate", "--database-url", small, "--create", "--scale", "0.1")
        _run("bench.generate", "--database-url", url, "--create", "--scale", "1")
        _run("bench.pages", "--database-url", url, "--compare-url", small, "--connections", "50", "--duration", "10s",
             "--rounds", "3")
        _drop(SMALL)
        _run("bench.sweeps", "--database-url", url)
        _run("bench.export_memory")
        _run("bench.mail_throughput", "--count", "1000")
    finally:
        _drop(SMALL)
        _drop(DATABASE)
    print(f"\nmake bench took {(time.perf_counter() - started) / 60:.1f} minutes")


if __name__ == "__main__":
    main()
