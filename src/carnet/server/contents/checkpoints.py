"""File checkpoints stored where Jupyter stores them, so both servers see the same ones.

`dir/name.ext` has one checkpoint, id "checkpoint", at
`dir/.ipynb_checkpoints/name-checkpoint.ext`. Creating one again replaces it.
File paths handed in here are already checked by the PathResolver; the checkpoint
directory itself is checked too, since a planted `.ipynb_checkpoints` symlink could
otherwise lead writes outside the root.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from carnet.errors import ContentsForbidden, ContentsNotFound, InvalidContents
from carnet.server.contents import atomic
from carnet.server.contents.models import checkpoint_model
from carnet.server.contents.paths import CHECKPOINT_DIR
from carnet.server.contents.types import CheckpointModel

CHECKPOINT_ID = "checkpoint"


def checkpoint_path(real: Path, checkpoint_id: str = CHECKPOINT_ID) -> Path:
    stem, ext = os.path.splitext(real.name)
    path = real.parent / CHECKPOINT_DIR / f"{stem}-{checkpoint_id}{ext}"
    if not Path(os.path.realpath(path)).is_relative_to(real.parent):
        raise ContentsForbidden(
            f"The checkpoint directory of {real.name!r} leads outside its folder", "outside root"
        )
    return path


def _existing(real: Path, checkpoint_id: str, api_path: str) -> Path:
    path = checkpoint_path(real, checkpoint_id)
    if checkpoint_id != CHECKPOINT_ID or not path.is_file():
        raise ContentsNotFound(
            f"Checkpoint {checkpoint_id!r} does not exist for {api_path!r}", "no checkpoint"
        )
    return path


def create(real: Path, api_path: str) -> CheckpointModel:
    if not real.is_file():
        raise InvalidContents(f"Only files have checkpoints, not {api_path!r}", "bad type")
    path = checkpoint_path(real)
    try:
        path.parent.mkdir(exist_ok=True)
    except OSError as exc:
        raise atomic.write_error(api_path, exc) from exc
    atomic.copy_file(real, path, api_path)
    return checkpoint_model(CHECKPOINT_ID, path.stat())


def list_for(real: Path) -> list[CheckpointModel]:
    path = checkpoint_path(real)
    try:
        return [checkpoint_model(CHECKPOINT_ID, path.stat())]
    except FileNotFoundError:
        return []


def restore(real: Path, checkpoint_id: str, api_path: str) -> None:
    atomic.copy_file(_existing(real, checkpoint_id, api_path), real, api_path)


def delete(real: Path, checkpoint_id: str, api_path: str) -> None:
    _existing(real, checkpoint_id, api_path).unlink()


def delete_all(real: Path) -> None:
    """Forget the checkpoint of a deleted file (a missing one is fine)."""
    with contextlib.suppress(FileNotFoundError):
        checkpoint_path(real).unlink()


def move_all(old_real: Path, new_real: Path) -> None:
    """Carry a renamed file's checkpoint along, so restoring still works."""
    old = checkpoint_path(old_real)
    if not old.is_file():
        return
    new = checkpoint_path(new_real)
    new.parent.mkdir(exist_ok=True)
    shutil.move(old, new)
