"""Requests to the gateway: the standard library's HTTP client, in a pool of its own threads.

No async HTTP client is among Carnet's dependencies, and the gateway's calls are few
(a start, a list, a logo), so each runs in a thread. The pool is the gateway's own:
requests to a gateway that hangs must never hold the threads that contents and other
work use. Each call is bounded twice, by the socket timeouts (connect, then the
answer) and by an overall deadline in the event loop, so no request outlives the
timeout even when every thread is busy.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import ssl
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from carnet.errors import GatewayError, GatewayUnreachable
from carnet.server.gateway.config import GatewayConfig
from carnet.server.http_reply import Reply

MAX_THREADS = 16


class GatewayHttp:
    """One gateway's HTTP requests, with its headers, TLS and timeouts."""

    def __init__(self, config: GatewayConfig) -> None:
        self.config = config
        parts = urlsplit(config.url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or (443 if self._https else 80)
        self._prefix = parts.path.rstrip("/")
        self._ssl = config.ssl_context()
        self._pool = ThreadPoolExecutor(MAX_THREADS, thread_name_prefix="carnet-gateway")

    def close(self) -> None:
        # Threads still waiting on a hung gateway end at their socket timeout.
        self._pool.shutdown(wait=False, cancel_futures=True)

    def url(self, path: str) -> str:
        return self.config.url + path

    def _connection(self) -> http.client.HTTPConnection:
        timeout = self.config.connect_timeout
        if self._https:
            return http.client.HTTPSConnection(
                self._host, self._port, timeout=timeout, context=self._ssl
            )
        return http.client.HTTPConnection(self._host, self._port, timeout=timeout)

    def _request(self, method: str, path: str, body: bytes | None) -> Reply:
        headers = {"Accept": "application/json", **self.config.headers}
        if body is not None:
            headers["Content-Type"] = "application/json"
        connection = self._connection()
        try:
            connection.connect()
            assert connection.sock is not None
            connection.sock.settimeout(self.config.request_timeout)
            connection.request(method, self._prefix + path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            return Reply(response.status, data, {k.lower(): v for k, v in response.getheaders()})
        except TimeoutError as exc:
            raise GatewayUnreachable(self._failure(method, path, exc), timed_out=True) from None
        except (OSError, http.client.HTTPException, ssl.SSLError) as exc:
            raise GatewayUnreachable(self._failure(method, path, exc)) from None
        finally:
            connection.close()

    def _failure(self, method: str, path: str, cause: object) -> str:
        return f"Kernel gateway {self.config.url} did not answer {method} {path}: {cause}"

    async def request(self, method: str, path: str, body: Any = None) -> Reply:
        """One request (a JSON body if given); GatewayUnreachable without an answer."""
        payload = None if body is None else json.dumps(body).encode()
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, self._request, method, path, payload)
        deadline = self.config.connect_timeout + self.config.request_timeout
        try:
            return await asyncio.wait_for(future, deadline)
        except TimeoutError:
            message = self._failure(method, path, f"no answer in {deadline:g} s")
            raise GatewayUnreachable(message, timed_out=True) from None

    async def json(self, method: str, path: str, body: Any = None) -> Any:
        """The JSON answer of a request that must succeed (GatewayError otherwise)."""
        reply = await self.request(method, path, body)
        check(reply, method, path, self.config.url)
        return reply.json() if reply.body else None


def check(reply: Reply, method: str, path: str, url: str) -> None:
    """Raise the gateway's error (its status kept, its 5xx as 502) for a failed reply."""
    if reply.status < 400:
        return
    detail = reply.message() or f"HTTP {reply.status}"
    status = reply.status if reply.status < 500 else 502
    raise GatewayError(f"Kernel gateway {url}: {method} {path}: {detail}", status)
