"""`carnet notebook password`: ask for a password twice, store its argon2 hash.

The hash goes to `NotebookApp.password` in jupyter_notebook_config.json in the
Jupyter config directory (JUPYTER_CONFIG_DIR or ~/.jupyter), merged with what the
file already holds, mode 0600. As in Jupyter, the JSON file wins over the .py one,
and the running server picks it up at its next start.
"""

from __future__ import annotations

import getpass
import sys

from carnet.errors import ConfigError

USAGE = "usage: carnet notebook password  (prompts for the password twice)"
_ATTEMPTS = 3


def main(argv: list[str]) -> int:
    """Entry point of `carnet notebook password`; the exit code."""
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    if argv:
        print(f"{USAGE} (unexpected: {argv})", file=sys.stderr)
        return 2
    password = _ask()
    if password is None:
        return 1
    from carnet.server.auth.password_store import store_password
    from carnet.server.auth.passwords import hash_password

    try:
        path = store_password(hash_password(password))
    except (ConfigError, OSError) as exc:
        print(f"carnet notebook password: {exc}", file=sys.stderr)
        return 1
    print(f"[NotebookPasswordApp] Wrote hashed password to {path}")
    return 0


def _ask() -> str | None:
    for _ in range(_ATTEMPTS):
        try:
            first = getpass.getpass("Enter password: ")
            second = getpass.getpass("Verify password: ")
        except (EOFError, KeyboardInterrupt):
            print("\nNo password set.", file=sys.stderr)
            return None
        if not first:
            print("The password is empty; try again.", file=sys.stderr)
        elif first != second:
            print("Passwords do not match; try again.", file=sys.stderr)
        else:
            return first
    print("No password set.", file=sys.stderr)
    return None
