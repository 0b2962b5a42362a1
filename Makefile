PYTHON ?= python3
PIP = PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 $(PYTHON) -m pip install -q

.PHONY: install install-test run test lint typecheck unit bench stress frontend frontend-test

install: frontend
	$(PIP) -e .

install-test: frontend
	bash scripts/system-deps.sh
	$(PIP) -e '.[test]'

# Install everything and start the main job.
run: install
	$(PYTHON) -m carnet notebook

lint:
	$(PYTHON) -m ruff check src tests bench
	$(PYTHON) -m ruff format --check src tests bench

typecheck:
	$(PYTHON) -m mypy

unit:
	$(PYTHON) -m pytest

# Install everything the tests need and run them all.
test: install-test lint typecheck unit frontend-test

# The browser UI: frontend/ built by Vite into src/carnet/static/ (needs Node.js >= 20.19).
# Without npm the server still runs and its pages say how to build the UI.
FRONTEND_SRC := $(shell find frontend/src -type f 2>/dev/null) frontend/vite.config.ts frontend/tsconfig.json
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/carnet/static/manifest.json: frontend/node_modules/.package-lock.json $(FRONTEND_SRC)
	cd frontend && npm run --silent build

frontend:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory src/carnet/static/manifest.json; \
	else echo "make frontend: npm not found; install Node.js >= 20.19 to build the browser UI" >&2; fi

# The notebook model's unit tests (vitest, in Node).
frontend-test: frontend
	cd frontend && npm test --silent

# The reliability load tests at full length (2 minutes sustained), with figures.
stress:
	$(PYTHON) bench/stress.py --seconds 120

bench: install-test
	$(PIP) -e '.[bench]'
	$(PYTHON) bench/run.py
