# zongzhi — `make demo` sets up and serves the platform; `make test` sets up and runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
ZONGZHI := $(VENV)/bin/zongzhi
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup system-deps demo serve test lint format bench clean

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

demo: setup
	ZONGZHI_DEBUG=1 $(ZONGZHI) migrate --no-input
	ZONGZHI_DEBUG=1 $(ZONGZHI) createcachetable
	ZONGZHI_DEBUG=1 $(ZONGZHI) load_demo --if-empty
	ZONGZHI_DEBUG=1 $(ZONGZHI) print_demo_accounts
	ZONGZHI_DEBUG=1 scripts/serve-demo $(HOST) $(PORT)

test: setup system-deps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup
	$(PY) bench/queue_query.py

clean:
	rm -rf $(VENV) node_modules var
