"""Settings for the whole suite."""

import contextlib
import logging
from collections.abc import Generator, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.client.procs import NewChildren, children
from tests.support.servers import LAUNCHED

# The suite runs on shared, sometimes heavily loaded machines: time-based
# hypothesis checks would fail on load, not on bugs.
settings.register_profile("carnet", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("carnet")

# `make test` finds the tests marked alone by this text in their files (the Makefile's
# ALONE_FILES), so that their run imports those files only: a test marked otherwise
# would run in neither pass.
ALONE_MARK = "pytest.mark.alone"


@pytest.hookimpl(tryfirst=True)  # before -m takes the marked tests out of the list
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("alone") and ALONE_MARK not in item.path.read_text():
            raise pytest.UsageError(
                f"{item.nodeid} is marked alone, but its file does not say {ALONE_MARK!r}:"
                " make test would not run it"
            )


# A failing test's report ends with the last lines of the server logs it may have made:
# a failure seen once in many runs is then explained by what the server said.
SERVER_LOG_TAIL = 6000
MAX_SERVER_LOGS = 4
_FIRST_SERVER = pytest.StashKey[int]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, None, None]:
    item.stash[_FIRST_SERVER] = len(LAUNCHED)
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not report.failed or report.when == "teardown":
        return
    first = item.stash.get(_FIRST_SERVER, len(LAUNCHED))
    # Those the test started, and those of wider fixtures still serving it.
    servers = [s for i, s in enumerate(LAUNCHED) if i >= first or s.process.poll() is None]
    for server in servers[-MAX_SERVER_LOGS:]:
        with contextlib.suppress(OSError):
            text = server.output()[-SERVER_LOG_TAIL:]
            report.sections.append((f"server log (port {server.info.get('port')})", text))


@pytest.fixture(autouse=True)
def _restore_carnet_loggers() -> Iterator[None]:
    """In-process CLI tests configure Carnet's loggers (propagate=False, handlers);
    put them back so later tests' caplog still sees their records."""
    saved = {
        name: (log.propagate, log.disabled, log.level, list(log.handlers))
        for name, log in logging.Logger.manager.loggerDict.items()
        if name.startswith("carnet") and isinstance(log, logging.Logger)
    }
    yield
    for name, log in list(logging.Logger.manager.loggerDict.items()):
        if not name.startswith("carnet") or not isinstance(log, logging.Logger):
            continue
        propagate, disabled, level, handlers = saved.get(name, (True, False, logging.NOTSET, []))
        log.propagate, log.disabled, log.level = propagate, disabled, level
        log.handlers[:] = handlers


@pytest.fixture
def new_children() -> NewChildren:
    """Lists this process's children that the test started, zombies included: a process a
    session-wide fixture started earlier in this worker (a Hub, a gateway) is not the test's."""
    before = {pid for pid, _ in children()}
    return lambda: [child for child in children() if child[0] not in before]
