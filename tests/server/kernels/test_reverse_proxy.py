"""Behind a real nginx with a base_url: REST and websockets work, and pings keep idle
websockets alive past nginx's proxy_read_timeout."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.server.conftest import ServerDirs, launch
from tests.server.kernels.wsclient import KernelSocket, stdout_of
from tests.support.dropproxy import DroppingProxy
from tests.support.ports import free_port
from tests.support.waiting import wait_until

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
READ_TIMEOUT = 2  # seconds nginx waits on a silent upstream before closing
PING_INTERVAL = 0.5  # the server's websocket pings, in seconds
# Pings spanning 2.5 times nginx's read timeout.
SILENT_PINGS = int(READ_TIMEOUT * 2.5 / PING_INTERVAL)

CONFIG = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
user root;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    server {{
        listen 127.0.0.1:{port};
        location /lab/carnet/ {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout {timeout}s;
            client_max_body_size 0;
        }}
    }}
}}
"""


class Proxied:
    """Looks like a RunningServer to KernelSocket, but points at nginx."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.token = token
        self.auth_headers = {"Authorization": f"token {token}"}


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: `make install-test` installs it (scripts/system-deps.sh)")
    base = tmp_path_factory.mktemp("proxy")
    server = launch(
        ServerDirs(base / "server"),
        "--NotebookApp.base_url=/lab/carnet/",
        f"--NotebookApp.websocket_ping_interval={PING_INTERVAL}",
    )
    prefix = base / "nginx"
    prefix.mkdir()
    port = free_port()  # nginx's config names its port (tests/support/ports.py)
    conf = prefix / "nginx.conf"
    conf.write_text(
        CONFIG.format(prefix=prefix, port=port, upstream=server.port, timeout=READ_TIMEOUT)
    )
    nginx = subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/lab/carnet/"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                if httpx.get(url + "api", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or nginx.poll() is not None:
                pytest.fail(f"nginx did not come up: {nginx.stderr.read() if nginx.stderr else ''}")
            time.sleep(0.05)
        yield Proxied(url, server.token)
    finally:
        nginx.terminate()
        nginx.wait(10)
        if nginx.stderr is not None:
            nginx.stderr.close()
        server.stop()


def test_rest_and_websocket_through_nginx_with_base_url(proxied: Proxied) -> None:
    headers: dict[str, Any] = proxied.auth_headers
    with httpx.Client(base_url=proxied.url, headers=headers, timeout=60) as http:
        assert http.get("api/status").status_code == 200
        created = http.post("api/kernels", json={})
        assert created.status_code == 201
        assert created.headers["location"].startswith("/lab/carnet/api/kernels/")
        kid = created.json()["id"]
        try:
            for v1 in (False, True):
                with KernelSocket(proxied, kid, v1=v1) as sock:
                    assert stdout_of(sock.execute("print('via nginx')")) == "via nginx\n"
        finally:
            http.delete(f"api/kernels/{kid}")


class FrameCounter:
    """Counts the websocket frames a server sends (after its handshake), pings apart."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.upgraded = False
        self.pings = 0
        self.others = 0

    def feed(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            del self.buffer[: end + 4]
            self.upgraded = True
        while len(self.buffer) >= 2:
            length, offset = self.buffer[1] & 0x7F, 2
            if length >= 126:
                offset += 2 if length == 126 else 8
                if len(self.buffer) < offset:
                    return
                length = int.from_bytes(self.buffer[2:offset], "big")
            if len(self.buffer) < offset + length:
                return
            if self.buffer[0] & 0x0F == 0x9:
                self.pings += 1
            else:
                self.others += 1
            del self.buffer[: offset + length]


def test_idle_websocket_outlives_proxy_read_timeout(proxied: Proxied) -> None:
    frames = FrameCounter()
    # In front of nginx, to watch what crosses it.
    watch = DroppingProxy(int(proxied.url.split(":")[2].split("/")[0]), frames.feed)
    watched = Proxied(f"http://127.0.0.1:{watch.port}/lab/carnet/", proxied.token)
    with httpx.Client(base_url=proxied.url, headers=proxied.auth_headers, timeout=60) as http:
        kid = http.post("api/kernels", json={}).json()["id"]
        try:
            with KernelSocket(watched, kid) as sock:
                sock.execute("x = 1")
                before = frames.others, frames.pings
                # Silent for 2.5 times nginx's timeout: only the server's pings cross nginx.
                wait_until(
                    lambda: frames.pings >= before[1] + SILENT_PINGS,
                    60,
                    f"{SILENT_PINGS} pings through nginx",
                )
                assert frames.others == before[0], "the websocket was not silent"
                assert stdout_of(sock.execute("print(x + 1)")) == "2\n"
        finally:
            http.delete(f"api/kernels/{kid}")
            watch.close()
