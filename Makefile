# oneAPS Opportunities. `make run` serves the portal; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: what the portal needs to run (`make run`), and that plus the test tools (`make test`).
RUNTIME_STAMP := $(VENV)/.installed-runtime
TEST_STAMP := $(VENV)/.installed-test
NODE_STAMP := tests/browser/node_modules/.installed
OIDC_STAMP := tests/oidc/node_modules/.installed
export FLASK_APP := wsgi

.PHONY: run install system-packages migrate seed test test-fast test-services test-reliability check-services bench clean

## Only the portal's own dependencies, so a fresh clone is serving quickly.
$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $(RUNTIME_STAMP)

## The test tools too (pytest, Playwright, schemathesis, hypothesis, aiosmtpd, import-linter).
$(TEST_STAMP): $(RUNTIME_STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(TEST_STAMP)

install: $(TEST_STAMP)

## WeasyPrint draws the PDFs with Debian's Pango and needs a Unicode font for names such as Nguyễn: before the
## first install, missing ones are installed with apt-get when run as root, otherwise make stops with the command.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
$(RUNTIME_STAMP): | system-packages
system-packages:
	@command -v dpkg-query >/dev/null || exit 0; \
	missing=$$(for p in $(PDF_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get update -q && apt-get install -y -q $$missing; \
	else echo "The PDFs need Debian packages first: sudo apt-get install -y" $$missing; exit 1; fi

migrate: $(RUNTIME_STAMP)
	$(BIN)/flask db upgrade

seed: migrate
	$(BIN)/flask seed-demo

## The embedded default: SQLite, a real Celery worker with embedded beat, e-mail to instance/mail/.
run: seed
	$(BIN)/flask serve

$(NODE_STAMP): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund
	touch $(NODE_STAMP)

## The real OpenID provider the sign-in tests run (npm's oidc-provider, pinned by the lock file).
$(OIDC_STAMP): tests/oidc/package.json tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund
	touch $(OIDC_STAMP)

## Everything: the fast run on SQLite and the same suite on PostgreSQL + Redis + worker + browser side by side (the
## PostgreSQL run waits on the browser, the worker and the database much of the time, so the two share the cores; the
## SQLite run's output is printed when both are done), then the reliability tests (killed workers, SMTP outage,
## Redis restart) on their own.
test: $(TEST_STAMP) $(NODE_STAMP) $(OIDC_STAMP) check-services
	@mkdir -p test-artifacts
	@$(MAKE) --no-print-directory test-fast > test-artifacts/test-fast.log 2>&1 & fast=$$!; \
	$(MAKE) --no-print-directory test-services; services=$$?; \
	wait $$fast; fast_status=$$?; \
	echo "== make test-fast (SQLite), run beside the PostgreSQL run: exit status $$fast_status =="; \
	cat test-artifacts/test-fast.log; \
	test $$services -eq 0 -a $$fast_status -eq 0
	@$(MAKE) --no-print-directory test-reliability

## The import contracts (layers, no cycles: [tool.importlinter] in pyproject.toml), then SQLite only, no servers
## needed (what a developer without PostgreSQL/Redis/Chromium can run); Node runs the test OpenID provider on
## loopback.
test-fast: $(TEST_STAMP) $(OIDC_STAMP)
	$(BIN)/lint-imports
	TEST_BACKEND=sqlite $(BIN)/python -m pytest -m "not browser" -p no:cacheprovider

## PostgreSQL, Redis, a real Celery worker, a real SMTP server and Chromium: missing ones fail.
test-services: $(TEST_STAMP) $(NODE_STAMP) $(OIDC_STAMP) check-services
	TEST_BACKEND=postgres $(BIN)/python -m pytest -p no:cacheprovider

## Real `celery worker --beat` processes, a private Redis that gets restarted, a real SMTP server.
test-reliability: $(TEST_STAMP) check-services
	TEST_BACKEND=postgres TEST_WORKER=subprocess $(BIN)/python -m pytest -p no:cacheprovider tests/reliability

check-services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not answering on 127.0.0.1:5432"; exit 1; }
	@$(BIN)/python -c "import redis; redis.Redis(socket_connect_timeout=3).ping()" || { echo "Redis is not answering on 127.0.0.1:6379"; exit 1; }
	@test -x /usr/bin/chromium || { echo "Chromium is missing: apt-get install -y chromium"; exit 1; }

bench: $(TEST_STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) instance tests/browser/node_modules tests/oidc/node_modules test-artifacts
