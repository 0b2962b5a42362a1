"""The import contracts of `make lint` (pyproject's [tool.importlinter]) hold, and bite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(source_root: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(source_root))
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=source_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_contracts_name_the_layers() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contracts = {c["id"]: c for c in config["contracts"]}
    assert "carnet.server" in contracts["protocol-is-the-bottom"]["forbidden_modules"]
    assert "carnet.paths" in contracts["protocol-is-the-bottom"]["forbidden_modules"]
    sources = contracts["server-is-the-top"]["source_modules"]
    assert {"carnet.kernel", "carnet.client", "carnet.trust"} <= set(sources)


def test_the_source_keeps_every_contract() -> None:
    result = lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_breach_is_reported(tmp_path: Path) -> None:
    shutil.copytree(
        ROOT / "src" / "carnet",
        tmp_path / "carnet",
        ignore=shutil.ignore_patterns("static", "__pycache__"),
    )
    with open(tmp_path / "carnet" / "protocol" / "wire.py", "a") as wire:
        wire.write("\n\ndef _breach() -> None:\n    from carnet import paths  # noqa\n")
    with open(tmp_path / "carnet" / "trust" / "cli.py", "a") as cli:
        cli.write("\n\nimport carnet.server.app  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    out = " ".join(result.stdout.split())
    assert "2 broken" in out
    assert "carnet.protocol.wire -> carnet.paths" in out
    assert "carnet.trust.cli -> carnet.server.app" in out
