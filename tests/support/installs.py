"""Installs that test sessions cache under .cache/ and share, made whole or not at all."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path


def install_once(
    target: Path, is_whole: Callable[[Path], bool], build: Callable[[Path], None]
) -> bool:
    """Make `target` with `build` unless a whole one is there; whether it is whole after.

    `build` fills a directory beside the target, which is then renamed into place: another
    test worker that is using a whole target keeps it (this copy goes), and a half-made
    one is never taken for a whole one. A broken target (not `is_whole`) is replaced.
    """
    if is_whole(target):
        return True
    partial = target.with_name(f"{target.name}.{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    try:
        build(partial)
        if not is_whole(target):
            shutil.rmtree(target, ignore_errors=True)
            with contextlib.suppress(OSError):
                partial.rename(target)  # another worker's rename may have come first
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return is_whole(target)
