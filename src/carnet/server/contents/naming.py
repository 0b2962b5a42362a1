"""Names for new items, chosen as Jupyter does so users see the same names.

Untitled.ipynb, Untitled1.ipynb, ...; untitled.txt, untitled1.txt, ...;
Untitled Folder, Untitled Folder 1, ...; copies are name-Copy1.ipynb, name-Copy2.ipynb.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

UNTITLED_NOTEBOOK = "Untitled"
UNTITLED_FILE = "untitled"
UNTITLED_DIRECTORY = "Untitled Folder"

# A previous copy's marker, so copying "a-Copy1.ipynb" gives "a-Copy2.ipynb", not "a-Copy1-Copy1".
_COPY_MARKER = re.compile(r"-Copy\d*\.")


def _split_extension(filename: str) -> tuple[str, str]:
    """(stem, suffix): `.ipynb` is split off last; other names at their first dot (a.tar.gz)."""
    stem, dot, ext = filename.rpartition(".")
    if ext != "ipynb":
        stem, dot, ext = filename.partition(".")
    return stem, dot + ext


def increment_filename(filename: str, exists: Callable[[str], bool], insert: str = "") -> str:
    """The first of filename, stem+insert+1+suffix, stem+insert+2+suffix... that is free."""
    stem, suffix = _split_extension(filename)
    for i in itertools.count():
        name = f"{stem}{insert}{i}{suffix}" if i else filename
        if not exists(name):
            return name
    raise AssertionError("unreachable: itertools.count() is infinite")


COPY_INSERT = "-Copy"


def copy_base(source_name: str) -> str:
    """The name a copy starts from: the source's, without an earlier copy's marker."""
    return _COPY_MARKER.sub(".", source_name)
