"""`carnet trust NOTEBOOK...` as a user runs it: a real subprocess, checked by Jupyter's notary."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat

from tests.trust.conftest import jupyter_notary, rich_notebook, write
from tests.trust.readonly import readonly_command


def carnet_trust(*args: str, data_dir: Path) -> tuple[int, str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_")}
    base["JUPYTER_DATA_DIR"] = str(data_dir)
    command = [sys.executable, "-m", "carnet", "trust", *args]
    done = subprocess.run(command, capture_output=True, text=True, env=base, timeout=60)
    return done.returncode, done.stdout, done.stderr


def jupyter_trusts(data_dir: Path, path: Path) -> bool:
    with jupyter_notary(data_dir) as theirs:
        return bool(theirs.check_signature(nbformat.read(str(path), 4)))


def test_trust_signs_notebooks_as_jupyter_checks_them(tmp_path: Path, data_dir: Path) -> None:
    first = write(tmp_path / "first.ipynb", rich_notebook())
    second = write(tmp_path / "second one.ipynb", rich_notebook(html="<i>other</i>"))
    untouched = write(tmp_path / "untouched.ipynb", rich_notebook(html="<u>not me</u>"))
    code, out, err = carnet_trust(str(first), str(second), data_dir=data_dir)
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"Signing notebook: {first}", f"Signing notebook: {second}"]
    assert jupyter_trusts(data_dir, first) and jupyter_trusts(data_dir, second)
    assert not jupyter_trusts(data_dir, untouched)
    code, out, _ = carnet_trust(str(first), data_dir=data_dir)
    assert (code, out.strip()) == (0, f"Notebook already signed: {first}")


def test_bad_arguments_are_reported_and_the_good_ones_still_trusted(
    tmp_path: Path, data_dir: Path
) -> None:
    good = write(tmp_path / "good.ipynb", rich_notebook())
    text = tmp_path / "notes.txt"
    text.write_text("just text")
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [')
    missing = tmp_path / "missing.ipynb"
    args = [str(missing), str(tmp_path), str(text), str(broken), str(good)]
    code, out, err = carnet_trust(*args, data_dir=data_dir)
    assert code == 1
    assert out.strip() == f"Signing notebook: {good}"
    lines = err.splitlines()
    assert len(lines) == 4 and all(line.startswith("carnet trust: ") for line in lines)
    assert "missing.ipynb" in lines[0] and "No such file" in lines[0]
    assert "directory" in lines[1]
    assert "notes.txt" in lines[2] and "broken.ipynb" in lines[3]
    assert "Traceback" not in err
    assert jupyter_trusts(data_dir, good)


def test_no_notebook_is_a_usage_error(data_dir: Path) -> None:
    code, _, err = carnet_trust(data_dir=data_dir)
    assert code == 2 and "usage: carnet trust" in err


def test_reset_forgets_every_trusted_notebook(tmp_path: Path, data_dir: Path) -> None:
    nb = write(tmp_path / "nb.ipynb", rich_notebook())
    assert carnet_trust(str(nb), data_dir=data_dir)[0] == 0
    old_secret = (data_dir / "notebook_secret").read_bytes()
    code, out, _ = carnet_trust("--reset", data_dir=data_dir)
    assert code == 0 and "Reset" in out
    assert (data_dir / "notebook_secret").read_bytes() != old_secret
    assert not jupyter_trusts(data_dir, nb)


def test_a_read_only_home_fails_clearly_without_hanging(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    nb = write(tmp_path / "nb.ipynb", rich_notebook())
    command = readonly_command(home, [sys.executable, "-m", "carnet", "trust", str(nb)])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_", "XDG_"))}
    env["HOME"] = str(home)
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1, done
    warnings = [line for line in done.stderr.splitlines() if "memory only" in line]
    assert len(warnings) == 1, done.stderr
    assert "could not be saved" in done.stderr and "Traceback" not in done.stderr
    assert not any(home.iterdir())
