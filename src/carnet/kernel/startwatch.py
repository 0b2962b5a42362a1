"""A kernel whose start hangs says where: every thread's stack on the real stderr.

Armed first thing in `python -m carnet.kernel`, disarmed once the IPython shell is
built (the end of a start). A start normally takes about a second; under heavy
load a few in a thousand were seen to hang, silent, until their manager gave up.
The dump goes to a copy of fd 2 taken before the kernel captures fds 1 and 2, so
it reaches the manager (which quotes the end of a kernel's stderr in its error),
not the kernel's clients.
"""

from __future__ import annotations

import faulthandler
import os
from typing import TextIO

# Long past a loaded machine's slow start, well before a manager's 60 s timeout.
# CARNET_KERNEL_STARTUP_DUMP sets other seconds; 0 turns the dump off.
DUMP_AFTER = 20.0

_target: TextIO | None = None


def arm() -> None:
    global _target
    disarm()
    try:
        seconds = float(os.environ.get("CARNET_KERNEL_STARTUP_DUMP", DUMP_AFTER))
    except ValueError:
        seconds = DUMP_AFTER
    if seconds <= 0:
        return
    try:
        _target = os.fdopen(os.dup(2), "w")
    except OSError:
        return  # no stderr to write to
    faulthandler.dump_traceback_later(seconds, file=_target)


def disarm() -> None:
    global _target
    if _target is None:
        return
    faulthandler.cancel_dump_traceback_later()
    _target.close()
    _target = None
