"""Installed versions read from dist-info (the kernel_info banner names IPython's)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import IPython
import pytest

from carnet.kernel.distinfo import installed_version


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    yield tmp_path
    sys.path.remove(str(tmp_path))
    importlib.invalidate_caches()


def _install(site: Path, package: str, dist_info: str, version: str) -> None:
    (site / package).mkdir(exist_ok=True)
    (site / package / "__init__.py").write_text("", encoding="utf-8")
    info = site / dist_info
    info.mkdir()
    metadata = f"Metadata-Version: 2.1\nName: x\nVersion: {version}\n\nVersion: not a header\n"
    (info / "METADATA").write_text(metadata, encoding="utf-8")


def test_ipython_version_matches_the_imported_ipython() -> None:
    assert installed_version("IPython", "ipython") == IPython.__version__


def test_reading_it_imports_neither_the_package_nor_importlib_metadata() -> None:
    code = (
        "import sys\n"
        "from carnet.kernel.distinfo import installed_version\n"
        "print(installed_version('IPython', 'ipython'))\n"
        "assert 'IPython' not in sys.modules\n"
        "assert 'importlib.metadata' not in sys.modules\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == IPython.__version__


def test_names_are_compared_normalized(site: Path) -> None:
    _install(site, "carnet_fake_pkg", "Carnet.Fake_Pkg-1.2.3.dist-info", "1.2.3")
    assert installed_version("carnet_fake_pkg", "carnet-fake-pkg") == "1.2.3"


def test_two_dist_infos_are_left_to_importlib_metadata(site: Path) -> None:
    # A stale dist-info beside the real one: which is current is importlib's call.
    _install(site, "carnet_fake_two", "carnet_fake_two-1.0.dist-info", "1.0")
    stale = site / "carnet_fake_two-0.9.dist-info"
    stale.mkdir()
    (stale / "METADATA").write_text("Name: carnet-fake-two\nVersion: 0.9\n", encoding="utf-8")
    expected = importlib.metadata.version("carnet-fake-two")
    assert installed_version("carnet_fake_two", "carnet-fake-two") == expected


def test_unknown_without_a_distribution(site: Path) -> None:
    (site / "carnet_fake_bare").mkdir()
    (site / "carnet_fake_bare" / "__init__.py").write_text("", encoding="utf-8")
    assert installed_version("carnet_fake_bare", "carnet-fake-bare") == "unknown"
    assert installed_version("carnet_no_such_package", "carnet-no-such-package") == "unknown"
