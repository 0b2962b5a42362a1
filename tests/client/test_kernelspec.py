"""Kernelspec discovery, validation, install and `carnet kernelspec`."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from carnet.client.kernelspec import (
    CARNET_DISPLAY_NAME,
    all_kernel_specs,
    find_kernel_specs,
    get_kernel_spec,
    install_kernel_spec,
    load_kernel_spec,
)
from carnet.client.manager import KernelManager
from carnet.errors import KernelSpecError
from tests.client.kernels import ipykernel_spec


@pytest.fixture
def jupyter_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two JUPYTER_PATH entries (first most specific) and a private user data dir."""
    first, second = tmp_path / "first", tmp_path / "second"
    monkeypatch.setenv("JUPYTER_PATH", f"{first}:{second}")
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    return first, second


def write_spec(root: Path, name: str, data: object) -> Path:
    directory = root / "kernels" / name
    directory.mkdir(parents=True)
    text = data if isinstance(data, str) else json.dumps(data)
    (directory / "kernel.json").write_text(text)
    return directory


def spec_json(display_name: str) -> dict[str, object]:
    argv = ["python", "-m", "something", "-f", "{connection_file}"]
    return {"argv": argv, "display_name": display_name, "language": "python"}


def test_discovery_most_specific_wins(jupyter_path: tuple[Path, Path]) -> None:
    first, second = jupyter_path
    write_spec(first, "mine", spec_json("First"))
    write_spec(second, "mine", spec_json("Second"))
    write_spec(second, "Other", spec_json("Other"))
    found = find_kernel_specs()
    assert found["mine"] == first / "kernels" / "mine"
    assert "other" in found
    spec = get_kernel_spec("mine")
    assert spec.display_name == "First" and spec.resource_dir == first / "kernels" / "mine"


def test_carnet_python3_always_present_and_preferred(jupyter_path: tuple[Path, Path]) -> None:
    first, _ = jupyter_path
    write_spec(first, "python3", spec_json("Some other python3"))
    spec = get_kernel_spec("python3")
    assert spec.display_name == CARNET_DISPLAY_NAME
    assert spec.argv == [sys.executable, "-m", "carnet.kernel", "-f", "{connection_file}"]


def test_third_party_spec_is_found_and_started(jupyter_path: tuple[Path, Path]) -> None:
    first, _ = jupyter_path
    write_spec(first, "ipy", {**ipykernel_spec().to_dict(), "display_name": "IPy"})

    async def main() -> str:
        km = KernelManager(kernel_name="ipy", echo_stderr=False)
        await km.start()
        try:
            reply = await km.client.kernel_info(timeout=10)
            return str(reply.content["implementation"])
        finally:
            await km.shutdown()

    assert asyncio.run(main()) == "ipython"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read kernel.json"),
        ("[1, 2]", "must hold a JSON object"),
        ({"display_name": "x"}, "'argv' must be a non-empty list"),
        ({"argv": ["x"], "interrupt_mode": "sometimes"}, "interrupt_mode"),
        ({"argv": ["x"], "env": {"A": 1}}, "'env' must map names to strings"),
    ],
)
def test_invalid_kernel_json_names_the_file(
    jupyter_path: tuple[Path, Path], content: object, message: str
) -> None:
    first, _ = jupyter_path
    directory = write_spec(first, "broken", content)
    with pytest.raises(KernelSpecError, match=message) as info:
        get_kernel_spec("broken")
    assert str(directory / "kernel.json") in str(info.value)
    assert "broken" not in all_kernel_specs()  # listing skips it instead of failing


def test_unknown_name_lists_what_exists(jupyter_path: tuple[Path, Path]) -> None:
    with pytest.raises(KernelSpecError, match=r"no kernelspec named 'nope'; available: .*python3"):
        get_kernel_spec("nope")


def test_install_locations_and_bad_names(jupyter_path: tuple[Path, Path], tmp_path: Path) -> None:
    spec = get_kernel_spec("python3")
    user_dir = install_kernel_spec(spec, name="carnet-user", user=True)
    assert user_dir == tmp_path / "data" / "kernels" / "carnet-user"
    prefix_dir = install_kernel_spec(spec, name="Carnet-P", prefix=tmp_path / "p")
    assert prefix_dir == tmp_path / "p" / "share" / "jupyter" / "kernels" / "carnet-p"
    assert load_kernel_spec(prefix_dir).argv == spec.argv
    with pytest.raises(KernelSpecError, match="invalid kernel name"):
        install_kernel_spec(spec, name="../escape", user=True)
    with pytest.raises(KernelSpecError, match="at most one"):
        install_kernel_spec(spec, user=True, sys_prefix=True)


def carnet(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "carnet", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_cli_install_then_list(jupyter_path: tuple[Path, Path], tmp_path: Path) -> None:
    result = carnet(
        "kernelspec", "install", "--user", "--name", "carnet-dev", "--display-name", "Dev"
    )
    assert result.returncode == 0, result.stderr
    installed = tmp_path / "data" / "kernels" / "carnet-dev"
    assert str(installed) in result.stdout
    assert json.loads((installed / "kernel.json").read_text())["display_name"] == "Dev"

    listing = carnet("kernelspec", "list")
    assert listing.returncode == 0
    assert "python3" in listing.stdout and str(installed) in listing.stdout
    as_json = json.loads(carnet("kernelspec", "list", "--json").stdout)["kernelspecs"]
    assert as_json["carnet-dev"]["spec"]["display_name"] == "Dev"
    assert as_json["python3"]["spec"]["display_name"] == CARNET_DISPLAY_NAME


def test_jupyter_client_sees_an_installed_carnet_spec(
    jupyter_path: tuple[Path, Path], tmp_path: Path
) -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    install_kernel_spec(get_kernel_spec("python3"), name="carnet", prefix=tmp_path / "p")
    manager = KernelSpecManager(kernel_dirs=[str(tmp_path / "p" / "share" / "jupyter" / "kernels")])
    spec = manager.get_kernel_spec("carnet")
    assert spec.argv[1:3] == ["-m", "carnet.kernel"]


def test_cli_install_bad_name_is_one_line_error(jupyter_path: tuple[Path, Path]) -> None:
    result = carnet("kernelspec", "install", "--user", "--name", "bad name")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("carnet kernelspec: invalid kernel name 'bad name'")
