"""`carnet trust NOTEBOOK...`: sign notebooks from the command line (as `jupyter trust`).

Each notebook is read as the server reads it, so the signature recorded is the one
the server (and Jupyter) computes when the notebook is opened. Every argument is
tried; the exit code is 1 if any could not be trusted, with the reason on stderr.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from carnet import paths
from carnet.errors import CarnetError
from carnet.trust.notary import Notary


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="carnet trust",
        description="Trust notebooks: their HTML and JavaScript outputs will render and run "
        "when opened, in Carnet and in Jupyter sharing the same data directory.",
    )
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="notebook files")
    parser.add_argument(
        "--reset",
        action="store_true",
        help="forget every trusted notebook (new secret, empty signatures database)",
    )
    return parser


def _stderr_log() -> logging.Logger:
    log = logging.getLogger("carnet.trust.cli")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("carnet trust: %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    return log


def _read(path: Path) -> dict[str, object]:
    from carnet.nbfile import notebooks

    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise CarnetError(f"{path} is a directory, not a notebook") from None
    except OSError as exc:
        raise CarnetError(f"cannot read {path}: {exc.strerror or exc}") from None
    return notebooks.parse(raw, str(path))  # InvalidContents (a CarnetError) if not a notebook


def trust_file(notary: Notary, path: Path) -> bool:
    """Trust one notebook file; False when it already was. CarnetError when it cannot be."""
    nb = _read(path)
    if notary.is_signed(nb):
        return False
    if not notary.trust(nb):
        raise CarnetError(f"{path} cannot be signed: malformed notebook")
    return True


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    if not args.notebooks and not args.reset:
        _parser().print_usage(sys.stderr)
        print("carnet trust: give at least one notebook (or --reset)", file=sys.stderr)
        return 2
    notary = Notary(paths.data_dir(), log=_stderr_log())
    failed = False
    try:
        if args.reset:
            notary.reset()
            print("Reset: every notebook is untrusted until trusted again")
        for name in args.notebooks:
            try:
                signed = trust_file(notary, Path(name))
            except CarnetError as exc:
                print(f"carnet trust: {exc}", file=sys.stderr)
                failed = True
                continue
            print(f"Signing notebook: {name}" if signed else f"Notebook already signed: {name}")
        if notary.store.in_memory:
            # Trust that ends with this process is no trust at all: say so, and fail.
            print("carnet trust: the signatures could not be saved (see above)", file=sys.stderr)
            failed = True
    finally:
        notary.close()
    return 1 if failed else 0
