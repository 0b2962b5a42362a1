"""A TCP proxy in front of a server whose connections can be cut: a network drop, while the
server and its kernels keep running. Listens on 127.0.0.1 only."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable


class DroppingProxy:
    """Forwards 127.0.0.1:<port> to the server; drop() cuts every connection and refuses
    new ones (accepted, then closed at once) until restore(). swallow() first makes what the
    server writes vanish on the way to the page: written, as the server sees it, and lost
    with the connection, as bytes in flight are in a real drop."""

    def __init__(
        self, target_port: int, to_page: Callable[[bytes], None] = lambda data: None
    ) -> None:
        """`to_page` sees every byte the server sends, as it passes (on the proxy's thread)."""
        self.target_port = target_port
        self.to_page = to_page
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.passing = threading.Event()
        self.passing.set()
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.swallowing = threading.Event()
        # Bytes the server wrote that swallow() kept from the page.
        self.swallowed = 0
        threading.Thread(target=self._accept, name="drop-proxy", daemon=True).start()

    def swallow(self) -> None:
        self.swallowing.set()

    def drop(self) -> None:
        self.passing.clear()
        with self.lock:
            cut, self.sockets = self.sockets, set()
        for sock in cut:
            _close(sock)
        # Only once they are cut: a pump that read a message just before must not pass it on
        # after the ones it swallowed (TCP never delivers a later byte past a lost one).
        self.swallowing.clear()

    def restore(self) -> None:
        self.passing.set()

    def close(self) -> None:
        self.drop()
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            if not self.passing.is_set():
                _close(client)
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                _close(client)
                continue
            with self.lock:
                self.sockets |= {client, upstream}
            for source, sink, to_page in ((client, upstream, False), (upstream, client, True)):
                threading.Thread(
                    target=self._pump, args=(source, sink, to_page), daemon=True
                ).start()

    def _pump(self, source: socket.socket, sink: socket.socket, to_page: bool) -> None:
        # Once this connection lost bytes, it never delivers another: the page would skip them.
        losing = False
        try:
            while data := source.recv(65536):
                if to_page:
                    self.to_page(data)
                losing = losing or (to_page and self.swallowing.is_set())
                if losing:
                    with self.lock:
                        self.swallowed += len(data)
                    continue
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self.lock:
                self.sockets -= {source, sink}
            _close(source)
            _close(sink)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
