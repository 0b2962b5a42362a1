PYTHON ?= python3
# Every command runs in a virtual environment of its own, resolved fresh from pyproject.toml:
# `.venv` takes the newest versions it allows, `.venv-oldest` the oldest we claim
# (constraints/oldest.txt). The machine's site-packages are never tested.
VENV ?= .venv
OLDEST_VENV ?= .venv-oldest
PY = $(VENV)/bin/python
OLD_PY = $(OLDEST_VENV)/bin/python
IN_VENV = PATH="$(abspath $(VENV))/bin:$$PATH"
IN_OLDEST = PATH="$(abspath $(OLDEST_VENV))/bin:$$PATH"
# The oldest lane runs everything but the browser tests (those run in the newest lane).
OLDEST_TESTS = tests --ignore=tests/e2e
# Each lane runs on two pytest-xdist workers, each given whole test files (their module-wide
# servers and browsers are made once): most tests wait on real processes, so a lane takes
# about two thirds of the time in one process, and the doubled load has brought out races
# that one process hid. TEST_WORKERS=0 runs a lane in one process. Tests marked `alone` hold
# the server's memory to a bound that a busy neighbour would break: they run last, alone.
TEST_WORKERS ?= 2
PARALLEL = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)
# The files holding them, so their run imports a few test modules, not all (15 s here).
ALONE_FILES := $(shell grep -rl --include='test_*.py' 'pytest.mark.alone' tests 2>/dev/null)

.PHONY: install install-test install-oldest run test test-newest test-oldest lint typecheck \
	unit bench stress frontend frontend-test types hub-proxy

install: frontend
	PYTHON=$(PYTHON) bash scripts/venv.sh $(VENV) ""

install-test: frontend hub-proxy
	bash scripts/system-deps.sh
	PYTHON=$(PYTHON) bash scripts/venv.sh $(VENV) test,gateway

install-oldest:
	PYTHON=$(PYTHON) bash scripts/venv.sh $(OLDEST_VENV) test constraints/oldest.txt

# Install everything and start the main job.
run: install
	$(IN_VENV) $(PY) -m carnet notebook

lint:
	$(PY) -m ruff check src tests bench scripts
	$(PY) -m ruff format --check src tests bench scripts
	PYTHONPATH=src $(VENV)/bin/lint-imports --no-cache

# After editing scripts/typegen/types.json: rewrite the Python and TypeScript message types.
types:
	$(PY) scripts/typegen/generate.py

typecheck:
	$(PY) -m mypy

unit:
	$(IN_VENV) $(PY) -m pytest $(PARALLEL) -m "not alone"
	$(IN_VENV) $(PY) -m pytest -m alone $(ALONE_FILES)

# Install everything the tests need and run them all: the newest lane, then the oldest.
test: test-newest test-oldest

test-newest: install-test lint typecheck unit frontend-test

test-oldest: install-test install-oldest
	$(IN_OLDEST) $(OLD_PY) -m pytest $(PARALLEL) -m "not alone" $(OLDEST_TESTS)
	$(IN_OLDEST) $(OLD_PY) -m pytest -m alone $(filter-out tests/e2e/%,$(ALONE_FILES))

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

# configurable-http-proxy for the JupyterHub tests (tests/hub), from npm.
hub-proxy:
	@if command -v npm >/dev/null 2>&1; then cd tests/hub && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "make hub-proxy: npm not found; the JupyterHub tests will be skipped" >&2; fi

# The notebook model's unit tests (vitest, in Node).
frontend-test: frontend
	cd frontend && npm test --silent

# The reliability load tests at full length (2 minutes sustained), with figures.
stress: install-test
	$(IN_VENV) $(PY) bench/stress.py --seconds 120

bench: install-test
	PYTHON=$(PYTHON) bash scripts/venv.sh $(VENV) test,gateway,bench
	$(IN_VENV) $(PY) bench/run.py
