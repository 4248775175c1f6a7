"""`make bench`: every benchmark in one go, against a scratch PostgreSQL database on this machine.

1. bench.generate: 100,000 opportunities with COPY, 2. bench.search_load: the search page under wrk at
50 concurrent clients (gunicorn, production config), 3. bench.export_memory: a 100,000-row CSV export's
peak memory, 4. bench.mail_throughput: 1,000 e-mails through Redis and a real worker to an SMTP sink.
Each prints its own figures; bench/RESULTS.md keeps the ones measured on this machine.
Needs PostgreSQL and Redis on loopback (as `make test` does) and wrk (`apt-get install -y wrk`).
"""
from __future__ import annotations

import os
import subprocess
import sys

import psycopg

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
DATABASE = "oneaps_bench"


def _run(*args: str) -> None:
    print(f"\n== {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, "-m", *args], check=True)


def main() -> None:
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    url = f"{base}/{DATABASE}"
    try:
        _run("bench.generate", "--database-url", url, "--create", "--count", "100000")
        _run("bench.search_load", "--database-url", url, "--connections", "50", "--duration", "30s")
        _run("bench.export_memory")
        _run("bench.mail_throughput", "--count", "1000")
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


if __name__ == "__main__":
    main()
