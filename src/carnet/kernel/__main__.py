"""`python -m carnet.kernel -f CONNECTION_FILE`: start Carnet's Python kernel.

Accepts `--connection-file` too, and ignores (with a warning) traitlets-style
`--Foo.bar=x` options, so kernelspecs written for ipykernel still start.

The sockets are bound before the rest of the kernel is imported: a client that
tried to connect before the kernel existed retries every 100-200 ms (zmq's
reconnect interval plus jitter), and a retry that finds the ports bound is
answered; one that comes a moment too early costs the client another interval.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Args:
    connection_file: str | None = None
    debug: bool = False
    capture_fds: bool = True


def parse_args(argv: Sequence[str]) -> tuple[Args, list[str]]:
    """The options, and the unknown arguments (ignored with a warning)."""
    argv = list(argv)
    if len(argv) == 2 and argv[0] in ("-f", "--connection-file") and argv[1][:1] != "-":
        # Every kernelspec's command line: no need for argparse, whose import
        # (with gettext) is milliseconds of a start that a client waits for.
        return Args(connection_file=argv[1]), []
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m carnet.kernel", description="Carnet's Python kernel."
    )
    parser.add_argument(
        "-f", "--connection-file", dest="connection_file", help="the kernel's connection file"
    )
    parser.add_argument("--debug", action="store_true", help="log debug messages to stderr")
    parser.add_argument(
        "--no-capture-fd",
        dest="capture_fds",
        action="store_false",
        help="leave file descriptors 1 and 2 alone (output of C code is not sent)",
    )
    parsed, unknown = parser.parse_known_args(argv)
    return Args(parsed.connection_file, parsed.debug, parsed.capture_fds), unknown


def main(argv: Sequence[str] | None = None) -> int:
    args, unknown = parse_args(sys.argv[1:] if argv is None else argv)
    from carnet.kernel import startwatch

    startwatch.arm()
    # Imported here so that `--help` stays instant; only what binding the sockets needs.
    from carnet.connection_files import read_connection_file
    from carnet.errors import ConnectionFileError
    from carnet.protocol.connection_file import CHANNELS, ConnectionInfo
    from carnet.protocol.signing import Signer

    for option in unknown:
        print(f"carnet.kernel: ignoring unsupported option {option!r}", file=sys.stderr)
    path = Path(args.connection_file) if args.connection_file else None
    try:
        if path is not None and path.exists():
            info = read_connection_file(path)
        elif path is not None:
            # As ipykernel: a missing file is created with fresh ports and key.
            import uuid

            info = ConnectionInfo(0, 0, 0, 0, 0, key=str(uuid.uuid4()))
        else:
            print("carnet.kernel: a connection file is required (-f FILE)", file=sys.stderr)
            return 2
        Signer(info.key_bytes, info.signature_scheme)
    except (ConnectionFileError, ValueError) as exc:
        print(f"carnet.kernel: {exc}", file=sys.stderr)
        return 2
    import zmq

    from carnet.kernel.channels import bind_sockets

    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
    try:
        sockets, bound = bind_sockets(context, info, path)
    except zmq.ZMQError as exc:
        context.destroy(linger=0)
        print(
            f"carnet.kernel: cannot bind the kernel's sockets on {info.transport}://{info.ip} "
            f"(ports {', '.join(str(info.port(c)) for c in CHANNELS)}): {exc}",
            file=sys.stderr,
        )
        return 1
    # The rest of the kernel, now that a client's next connection attempt gets through.
    import logging

    from carnet.kernel.app import KernelApp

    if args.debug:
        logging.getLogger("carnet.kernel").setLevel(logging.DEBUG)
    app = KernelApp(context, sockets, bound, path, capture_fds=args.capture_fds)
    code = app.run()
    # State is saved and every message sent. Run the exit handlers, then skip the
    # interpreter's module teardown, which takes most of a second once matplotlib
    # or pandas are loaded: a restart should be quick.
    import atexit
    import os

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
