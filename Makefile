PYTHON ?= python3
PIP = PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 $(PYTHON) -m pip install -q

.PHONY: install install-test run test lint typecheck unit bench

install:
	$(PIP) -e .

install-test:
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
test: install-test lint typecheck unit

bench: install-test
	$(PIP) -e '.[bench]'
	$(PYTHON) bench/run.py
