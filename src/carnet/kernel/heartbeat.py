"""The heartbeat: echo every message back, on its own thread.

zmq.proxy(socket, socket) does the echo in C without taking the GIL, so the
heartbeat keeps answering while user code runs. It ends when the context is
terminated.
"""

from __future__ import annotations

import threading

import zmq


def start_heartbeat(socket: zmq.Socket[bytes]) -> threading.Thread:
    def echo() -> None:
        try:
            zmq.proxy(socket, socket)
        except zmq.ZMQError:
            pass  # context terminated: the kernel is exiting
        finally:
            socket.close(linger=0)

    thread = threading.Thread(target=echo, name="carnet-heartbeat", daemon=True)
    thread.start()
    return thread
