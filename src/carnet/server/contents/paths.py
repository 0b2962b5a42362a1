"""API paths to filesystem paths, refusing anything that leaves the root or is hidden.

An API path is always relative to the root directory, with `/` separators; a leading
slash is tolerated (Jupyter clients send `/dir/name.ipynb` in copy_from). The checks
are done twice: lexically on the API path (`..`, NUL, dot-names) and on the resolved
real path, so a symlink cannot lead outside the root or into a hidden file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from carnet.errors import ContentsForbidden, ContentsNotFound, InvalidContents

CHECKPOINT_DIR = ".ipynb_checkpoints"

# Linux's NAME_MAX and PATH_MAX: beyond them every file operation fails with ENAMETOOLONG.
_NAME_MAX = 255
_PATH_MAX = 4096


def _check_lengths(api_path: str, parts: list[str]) -> None:
    """Refuse names the filesystem cannot hold (or encode) as a bad path, not a crash."""
    try:
        too_long = len(os.fsencode(api_path)) > _PATH_MAX or any(
            len(os.fsencode(part)) > _NAME_MAX for part in parts
        )
    except UnicodeEncodeError as exc:
        raise InvalidContents(f"Invalid path {api_path!r}: not encodable", "bad path") from exc
    if too_long:
        raise InvalidContents(f"Invalid path {api_path[:80]!r}...: too long", "bad path")


def check_api_path(api_path: str) -> None:
    """The rule every API path follows, contents and sessions alike (InvalidContents).

    No NUL (no file name holds one), encodable as a file name (an unpaired surrogate is
    not), within NAME_MAX and PATH_MAX. Other code points (controls, U+2028...) are legal
    in Linux file names, so they are accepted and kept as they are.
    """
    if "\x00" in api_path:
        raise InvalidContents(f"Invalid path {api_path!r}: contains a NUL byte", "bad path")
    _check_lengths(api_path, [part for part in api_path.split("/") if part not in ("", ".")])


def normalize(api_path: str) -> str:
    """The canonical form of an API path: no leading/trailing or doubled slashes, no `.`."""
    return "/".join(part for part in api_path.split("/") if part not in ("", "."))


def is_hidden_name(name: str) -> bool:
    return name.startswith(".")


def join(directory: str, name: str) -> str:
    return f"{directory}/{name}" if directory else name


def split(api_path: str) -> tuple[str, str]:
    """(parent, name) of a normalized API path."""
    parent, _, name = api_path.rpartition("/")
    return parent, name


@dataclass(frozen=True)
class Resolved:
    """A checked path.

    `api` is the normalized API path; `real` is where it leads (symlinks followed), for
    reading and writing content; `entry` is the directory entry itself (its parent
    resolved, the last name not followed), for rename and delete, which act on a link
    rather than on what it points to. Both are inside the root.
    """

    api: str
    real: Path
    entry: Path


class PathResolver:
    """Maps API paths under one root directory to checked real paths."""

    def __init__(self, root_dir: Path, allow_hidden: bool) -> None:
        self.root = Path(os.path.realpath(root_dir))
        self.allow_hidden = allow_hidden

    def resolve(self, api_path: str) -> Resolved:
        """Check an API path and return where it really is; raises a ContentsError."""
        check_api_path(api_path)
        parts = [part for part in api_path.split("/") if part not in ("", ".")]
        if ".." in parts:
            raise ContentsForbidden(f"{api_path!r} is outside the root directory", "outside root")
        api = "/".join(parts)
        if not self.allow_hidden and any(is_hidden_name(part) for part in parts):
            raise self._hidden(api)
        if not parts:
            return Resolved("", self.root, self.root)
        parent = Path(os.path.realpath(self.root.joinpath(*parts[:-1])))
        real = Path(os.path.realpath(parent / parts[-1]))
        relative = self._relative(real)
        if self._relative(parent) is None or relative is None:
            raise ContentsForbidden(f"{api!r} resolves outside the root directory", "outside root")
        # A visible symlink may point at a hidden file inside the root: still hidden.
        if not self.allow_hidden and any(is_hidden_name(part) for part in relative):
            raise self._hidden(api)
        return Resolved(api, real, parent / parts[-1])

    def is_hidden(self, api_path: str) -> bool:
        """Whether a path is hidden, by name or through a symlink (False if allow_hidden)."""
        if self.allow_hidden:
            return False
        parts = [part for part in api_path.split("/") if part not in ("", ".")]
        if any(is_hidden_name(part) for part in parts):
            return True
        relative = self._relative(Path(os.path.realpath(self.root.joinpath(*parts))))
        return relative is not None and any(is_hidden_name(part) for part in relative)

    def listable(self, entry: Path, is_symlink: bool) -> bool:
        """Whether an entry of a checked directory may be listed: visible, inside the root."""
        if not self.allow_hidden and is_hidden_name(entry.name):
            return False
        if not is_symlink:
            return True  # Its directory is checked, and a plain name cannot leave it.
        relative = self._relative(Path(os.path.realpath(entry)))
        if relative is None:
            return False
        return self.allow_hidden or not any(is_hidden_name(part) for part in relative)

    def _relative(self, real: Path) -> tuple[str, ...] | None:
        """The parts of a real path below the root, or None when it is outside."""
        if real == self.root:
            return ()
        try:
            return real.relative_to(self.root).parts
        except ValueError:
            return None

    @staticmethod
    def _hidden(api: str) -> ContentsNotFound:
        return ContentsNotFound(f"No such file or directory: {api!r} (hidden)", "hidden")
