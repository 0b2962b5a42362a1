"""The server's kernels: the REST-facing service, per-kernel message hubs, sessions."""

from carnet.server.kernels.hub import KernelHub
from carnet.server.kernels.service import KernelService
from carnet.server.kernels.sessions import SessionManager

__all__ = ["KernelHub", "KernelService", "SessionManager"]
