# zongzhi — `make demo` sets up and serves the platform; `make test` sets up and runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
ZONGZHI := $(VENV)/bin/zongzhi
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup system-deps demo test lint format bench bench-queue bench-submit bench-sweep clean

setup: $(STAMP) node_modules/.package-lock.json

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Chromium and a CJK font for the browser tests (Debian packages; needs root or sudo).
system-deps:
	@scripts/install-system-deps

# The demo runs with DEBUG off, as in production (Chinese error pages, no debug page), with
# its own keys: ZONGZHI_DEV_KEYS=1 generates them once into var/dev-keys.json (never
# committed); the worker and scheduler that serve-demo starts inherit the flag.
DEMO_ENV := ZONGZHI_DEV_KEYS=1

demo: setup
	$(DEMO_ENV) $(ZONGZHI) migrate --no-input
	$(DEMO_ENV) $(ZONGZHI) createcachetable
	$(DEMO_ENV) $(ZONGZHI) load_demo --if-empty
	$(DEMO_ENV) $(ZONGZHI) print_demo_accounts
	$(DEMO_ENV) scripts/serve-demo $(HOST) $(PORT)

test: setup system-deps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Benchmarks print figures; they are never part of `make test`. Their PostgreSQL runs with
# fsync, synchronous_commit and full_page_writes on (scripts/with-postgres --durable). The queue
# benchmark loads 1,000,000 cases into SQLite and then PostgreSQL (about 25 minutes); `--cases`
# for less.
bench: bench-queue bench-submit bench-sweep

bench-queue: setup
	$(DEMO_ENV) $(PY) bench/queue_query.py $(BENCH_ARGS)

bench-submit: setup
	$(DEMO_ENV) $(PY) bench/submit_rate.py

# The escalation sweep on 1,000,000 open cases (PostgreSQL only, durable); `--cases` for less.
bench-sweep: setup
	$(DEMO_ENV) $(PY) bench/sweep.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var
