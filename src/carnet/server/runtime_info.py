"""Server info files (`jpserver-<pid>.json` in the runtime directory), as Jupyter writes them.

They let `carnet notebook list` (and `jupyter server list`) find running servers.
Files left behind by dead servers are ignored and removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from pathlib import Path
from typing import Any

from carnet import __version__, paths
from carnet.server.config.settings import ServerSettings

_PATTERNS = ("jpserver-*.json", "nbserver-*.json")
# A connection file no process names is left alone this long: its kernel may be starting
# (between the file's write and the kernel's exec there is a fork, microseconds to ms).
STALE_CONNECTION_FILE_SECONDS = 10.0


def info_file_path(pid: int | None = None) -> Path:
    return paths.runtime_dir() / f"jpserver-{os.getpid() if pid is None else pid}.json"


def server_info(settings: ServerSettings, url: str) -> dict[str, Any]:
    """The fields jupyter_server writes."""
    return {
        "base_url": settings.base_url,
        "hostname": settings.ip or "0.0.0.0",
        "notebook_dir": str(settings.root_dir),
        "root_dir": str(settings.root_dir),
        "password": bool(settings.password),
        "pid": os.getpid(),
        "port": settings.port,
        "secure": settings.secure,
        "sock": settings.sock,
        "token": settings.token,
        "url": url,
        "version": __version__,
    }


def write_info_file(info: dict[str, Any]) -> Path:
    """Write this process's info file, readable by the user only."""
    target = info_file_path()
    paths.ensure_private_dir(target.parent)
    partial = target.with_name(f".{target.name}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(info, out, indent=2, sort_keys=True)
    os.replace(partial, target)
    return target


def remove_info_file(path: Path) -> None:
    path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: it exists
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """An exited process its parent has not reaped yet (Linux /proc; elsewhere: False)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def running_servers() -> list[dict[str, Any]]:
    """Info of every live server, oldest first; stale files are removed."""
    found: list[tuple[float, dict[str, Any]]] = []
    directory = paths.runtime_dir()
    if not directory.is_dir():
        return []
    for pattern in _PATTERNS:
        for path in directory.glob(pattern):
            try:
                info = json.loads(path.read_text())
                pid = int(info["pid"])
                mtime = path.stat().st_mtime
            except (OSError, ValueError, KeyError, TypeError):
                continue  # unreadable or being written: not ours to judge
            if _alive(pid):
                found.append((mtime, info))
            else:
                remove_info_file(path)
    return [info for _, info in sorted(found, key=lambda item: item[0])]


def clean_up_after_dead_servers(stale_after: float = STALE_CONNECTION_FILE_SECONDS) -> list[str]:
    """Kill kernels orphaned by a dead server; remove stale info and connection files.

    A kernel belongs to the server whose pid is its JPY_PARENT_PID (which every
    server puts in its kernels' environment) and is found by the connection file
    of this runtime directory on its command line. It is killed only when that
    server is gone: a live server's kernels, and processes of other users, are
    never touched. A connection file no live process names is removed once it
    is older than `stale_after` seconds (younger ones may be starting right now):
    its kernel exited (kernels exit by themselves when their server dies) and no
    client can use it. `kernel-<pid>.json` of a live pid is kept: ipykernel
    started without -f writes its own file under that name.
    Returns one line per action, for the log.
    """
    done: list[str] = []
    running_servers()  # removes the info files of dead servers
    directory = paths.runtime_dir()
    if not directory.is_dir():
        return done
    files = {str(path): path for path in directory.glob("kernel-*.json")}
    named: set[str] = set()
    for pid, argv, parent in _kernel_processes(set(files)):
        connection_file = next(arg for arg in argv if arg in files)
        named.add(connection_file)
        if parent == os.getpid() or _alive(parent):
            continue
        _kill_group(pid)
        files[connection_file].unlink(missing_ok=True)
        done.append(f"killed kernel process {pid}, orphaned by server {parent} (dead)")
    now = time.time()
    for name, path in files.items():
        if name in named or _named_after_live_process(path):
            continue
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > stale_after:
                path.unlink()
                done.append(f"removed stale connection file {path.name}")
    return done


def _kernel_processes(connection_files: set[str]) -> list[tuple[int, list[str], int]]:
    """(pid, argv, JPY_PARENT_PID) of our user's processes naming one of the files."""
    found: list[tuple[int, list[str], int]] = []
    uid = os.getuid()
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            if not connection_files.intersection(argv):
                continue
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue  # exited meanwhile, or not ours to read
        parents = [
            v[len(b"JPY_PARENT_PID=") :] for v in environ if v.startswith(b"JPY_PARENT_PID=")
        ]
        if parents and parents[0].isdigit():
            found.append((int(entry.name), argv, int(parents[0])))
    return found


def _named_after_live_process(path: Path) -> bool:
    suffix = path.stem.removeprefix("kernel-")
    return suffix.isdigit() and _alive(int(suffix))


def _kill_group(pid: int) -> None:
    """SIGKILL a kernel and, when it leads its own process group, its subprocesses."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)


def display_line(info: dict[str, Any]) -> str:
    """`url?token=... :: root_dir`, as `jupyter notebook list` prints it."""
    url = str(info.get("url", ""))
    if info.get("token"):
        url += f"?token={info['token']}"
    return f"{url} :: {info.get('root_dir') or info.get('notebook_dir', '')}"


def stop_server(port: int, timeout: float = 10.0) -> str:
    """Stop the server on this port (SIGTERM, then SIGKILL after timeout); a report line."""
    matches = [info for info in running_servers() if int(info.get("port", -1)) == port]
    if not matches:
        raise LookupError(f"There is currently no server running on port {port}")
    info = matches[0]
    pid = int(info["pid"])
    try:
        os.kill(pid, signal.SIGTERM)
    except PermissionError:
        raise LookupError(f"Not allowed to stop the server on port {port} (pid {pid})") from None
    except ProcessLookupError:
        return f"The server on port {port} (pid {pid}) had already exited"
    if _wait_gone(pid, timeout):
        return f"Shut down server on port {port} (pid {pid})"
    os.kill(pid, signal.SIGKILL)
    _wait_gone(pid, 5.0)
    remove_info_file(info_file_path(pid))
    return f"Killed server on port {port} (pid {pid}): it did not stop within {timeout:g}s"


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return not _alive(pid)
