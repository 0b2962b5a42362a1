"""The installed version of a package, read from the dist-info next to it.

The kernel names IPython's version in its kernel_info_reply, which a client
waits for while IPython is still being imported on another thread. Importing
importlib.metadata for it costs tens of milliseconds on that path (it pulls in
email, zipfile, csv...); a wheel's `NAME-VERSION.dist-info/METADATA` beside the
package answers in well under one. Other layouts (eggs, some editable
installs) fall back to importlib.metadata.
"""

from __future__ import annotations

import importlib.util
import os
import re

_SUFFIX = ".dist-info"


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _from_dist_info(package: str, distribution: str) -> str | None:
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    # The directory that holds the package holds its dist-info too.
    site = os.path.dirname(next(iter(spec.submodule_search_locations)))
    wanted = _normalized(distribution)
    try:
        found = [
            entry
            for entry in os.listdir(site)
            if entry.endswith(_SUFFIX)
            and _normalized(entry[: -len(_SUFFIX)].rpartition("-")[0]) == wanted
        ]
        if len(found) != 1:  # none, or stale ones left beside it: let importlib decide
            return None
        with open(os.path.join(site, found[0], "METADATA"), encoding="utf-8") as metadata:
            for line in metadata:
                if not line.strip():
                    break  # the headers end at the first blank line
                key, _, value = line.partition(":")
                if key.strip().lower() == "version":
                    return value.strip()
    except (OSError, UnicodeDecodeError):
        return None
    return None


def installed_version(package: str, distribution: str) -> str:
    """The version of `distribution`, which provides the importable `package`; or 'unknown'."""
    version = _from_dist_info(package, distribution)
    if version is not None:
        return version
    import importlib.metadata

    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
