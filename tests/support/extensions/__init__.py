"""Example extensions for the tests (never shipped), and how to install them for real.

The server example is installed as a distribution in a temporary directory, with a
`.dist-info` holding its entry points, which a server subprocess sees when the directory
is on its PYTHONPATH (importlib.metadata finds distributions on sys.path). The front-end
examples are copied into `nbextensions/` of a Jupyter data directory, the classic layout.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENTRY_POINTS = """\
[carnet.server_extensions]
example_server = carnet_example_server:ExampleServer
broken_server = carnet_example_server.broken:load
"""


def install_server_example(site: Path) -> Path:
    """Install the example server extension (and a Jupyter-only one) into `site`."""
    site.mkdir(parents=True, exist_ok=True)
    for package in ("carnet_example_server", "jupyter_only_ext"):
        shutil.copytree(HERE / "server_example" / package, site / package, dirs_exist_ok=True)
    info = site / "carnet_example_server-0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: carnet-example-server\nVersion: 0.1\n"
    )
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    (info / "top_level.txt").write_text("carnet_example_server\n")
    return site


def install_frontend_examples(data_dir: Path) -> Path:
    """Copy the front-end examples to `data_dir/nbextensions/` (as `example`, `classic`)."""
    target = data_dir / "nbextensions"
    shutil.copytree(HERE / "frontend_example", target / "example", dirs_exist_ok=True)
    shutil.copytree(HERE / "classic_example", target / "classic", dirs_exist_ok=True)
    return target


def env_with_site(env: dict[str, str], site: Path) -> dict[str, str]:
    """`env` with `site` first on PYTHONPATH."""
    rest = env.get("PYTHONPATH", "")
    return {**env, "PYTHONPATH": os.pathsep.join(p for p in (str(site), rest) if p)}
