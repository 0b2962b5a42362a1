"""`carnet console` in a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from carnet.client.blocking import BlockingKernelClient
from tests.client.procs import NewChildren
from tests.console.conftest import KERNELS, Standalone, console_env


class Console:
    """`carnet console` in a pseudo-terminal, typing at numbered prompts."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "carnet", "console", *args],
            env=env,
            encoding="utf-8",
            timeout=30,
            dimensions=(40, 120),
        )
        self.count = 1
        self.transcript = io.StringIO()
        self.child.logfile_read = self.transcript

    def prompt(self) -> None:
        """Wait for the next fresh prompt (not the redraw of an accepted one)."""
        self.child.expect(rf"In \[{self.count}\]: ")

    def ready(self) -> None:
        """Wait until the next prompt is drawn and takes keys (raw mode, cursor shown)."""
        self.prompt()
        self.child.expect(r"\x1b\[\?25h")

    def exit(self) -> None:
        """Ctrl-D at a ready prompt."""
        self.ready()
        self.child.sendcontrol("d")

    def run(self, code: str, *expected: str) -> None:
        """Type code at the next prompt and wait for each expected pattern."""
        self.ready()
        self.child.send(code + "\r")
        self.count += 1
        for pattern in expected:
            self.child.expect(pattern)

    def close(self) -> int | None:
        # On failure, pytest shows what the terminal showed (escape codes removed).
        print(re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", self.transcript.getvalue()))
        self.child.close(force=True)
        return self.child.exitstatus


OUT_42 = r"Out\[\d+\]: (\x1b\[0m)?42"


def test_attach_by_prefix_run_and_leave_kernel_running(standalone: Standalone) -> None:
    console = Console(standalone.env, "--existing", standalone.kernel_id[:8])
    child = console.child
    try:
        child.expect(f"Attached to kernel {standalone.kernel_id}")
        console.run("a = 6*7")
        console.run("print(a)", "42")
        console.run("a", OUT_42)
        # Multi-line input: the kernel says the first line is incomplete.
        console.run("for i in range(2):", r"\.\.\.:")
        child.send("print('line', i)\r")
        child.expect(r"\.\.\.:")
        child.send("\r")
        child.expect("line 1")
        console.run("name = input('who? ')", r"who\? ")
        child.send("Ada\r")
        console.run("print('hi', name)", "hi Ada")
        console.run("print('\\x1b[31mred\\x1b[0m')", "\x1b\\[31mred")  # colours intact
        console.run("1/0", "ZeroDivisionError")
        # A busy loop on one line; "looping" can only come from the kernel, not the echo.
        console.run("print('loo' + 'ping', flush=True); exec('while True: pass')", "looping")
        child.sendintr()
        child.expect("KeyboardInterrupt")
        console.exit()
        child.expect("Kernel left running")
        child.expect(pexpect.EOF)
    finally:
        status = console.close()
    assert status == 0
    # The kernel still runs and kept the console's state.
    with BlockingKernelClient.from_connection_file(standalone.connection_file) as client:
        reply = client.execute("", user_expressions={"a": "a"}, timeout=10)
        assert reply.content["user_expressions"]["a"]["data"]["text/plain"] == "42"


def test_output_of_other_clients_is_shown(standalone: Standalone) -> None:
    console = Console(standalone.env, "--existing")  # the most recent kernel
    try:
        console.prompt()
        with BlockingKernelClient.from_connection_file(standalone.connection_file) as other:
            other.wait_for_ready(10)
            other.execute("print('from ' + 'elsewhere')", timeout=10)
        console.child.expect("from elsewhere")
        console.count = 2  # the other client's execution took number 1
        console.exit()
        console.child.expect(pexpect.EOF)
    finally:
        console.close()


def test_completion_through_the_kernel(standalone: Standalone) -> None:
    console = Console(standalone.env, "--existing", standalone.kernel_id)
    child = console.child
    try:
        console.run("zebra_crossing = 1")
        console.ready()
        child.send("zebra_cr\t")
        child.expect("ossing")  # only the completion can write it now
        # Typing on closes the completion menu, so one Enter runs the line.
        child.send(" + 1\r")
        child.expect(r"Out\[\d+\]: (\x1b\[0m)?2")
        console.count += 1
        console.exit()
        child.expect(pexpect.EOF)
    finally:
        console.close()


def test_bad_prefix_is_one_clear_line(standalone: Standalone) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "carnet", "console", "--existing", "zzzz"],
        env=standalone.env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("carnet console: no kernel matches 'zzzz'")
    assert standalone.kernel_id in lines[0]  # the candidates are listed


@pytest.mark.parametrize("kernel", KERNELS)
def test_new_kernel_is_shut_down_on_exit(
    kernel: str, tmp_path: Path, new_children: NewChildren
) -> None:
    console = Console(console_env(tmp_path), "--kernel", kernel)
    child = console.child
    try:
        console.run("import os; os.getpid()", r"Out\[\d+\]: (\x1b\[0m)?(\d+)")
        pid = int(child.match.group(2))
        console.exit()
        child.expect(r"shut down the kernel \(\[y\]/n\)\?")
        child.send("n\r")
        console.run("1 + 1", r"Out\[\d+\]: (\x1b\[0m)?2")
        console.exit()
        child.expect(r"\(\[y\]/n\)\?")
        child.send("y\r")
        child.expect(pexpect.EOF)
    finally:
        status = console.close()
    assert status == 0
    assert not Path(f"/proc/{pid}").exists()
    assert list((tmp_path / "runtime").glob("kernel-*.json")) == []
    assert new_children() == []


def test_kernel_death_is_reported_and_the_kernel_restarted(tmp_path: Path) -> None:
    console = Console(console_env(tmp_path), "--kernel", KERNELS[0], "--no-confirm-exit")
    child = console.child
    try:
        console.run("import os; os.kill(os.getpid(), 9)", "The kernel died; restarting it")
        child.expect("The kernel is running")
        console.count = 1  # a new kernel counts from 1 again
        console.run("print(6 * 7)", "42")
        console.exit()
        child.expect(pexpect.EOF)
    finally:
        status = console.close()
    assert status == 0
    assert list((tmp_path / "runtime").glob("kernel-*.json")) == []
