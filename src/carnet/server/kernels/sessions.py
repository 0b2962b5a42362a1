"""Sessions: a notebook (or console, or file) path tied to a kernel, as in Jupyter.

Creating a session for a path that already has one reuses it, so a reloaded
notebook finds its running kernel. Kept in memory: sessions live as long as
their kernels, which die with the server.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from carnet.errors import KernelNotFound
from carnet.server.kernels.backend import KernelBackend


class SessionNotFound(KernelNotFound):
    """No session has that id."""


@dataclass
class SessionRecord:
    id: str
    path: str
    name: str
    type: str
    kernel_id: str


class SessionManager:
    def __init__(self, kernels: KernelBackend) -> None:
        self.kernels = kernels
        self._sessions: dict[str, SessionRecord] = {}

    def _alive(self) -> list[SessionRecord]:
        """Forget sessions whose kernel is gone (shut down through /api/kernels)."""
        for sid, rec in list(self._sessions.items()):
            if rec.kernel_id not in self.kernels:
                del self._sessions[sid]
        return list(self._sessions.values())

    def model(self, rec: SessionRecord) -> dict[str, Any]:
        kernel = self.kernels.get(rec.kernel_id).to_model()
        return {
            "id": rec.id,
            "path": rec.path,
            "name": rec.name,
            "type": rec.type,
            "kernel": kernel,
            "notebook": {"path": rec.path, "name": rec.name},
        }

    def list(self) -> list[dict[str, Any]]:
        return [self.model(rec) for rec in self._alive()]

    def get(self, session_id: str) -> SessionRecord:
        self._alive()
        rec = self._sessions.get(session_id)
        if rec is None:
            raise SessionNotFound(f"no session with id {session_id!r}")
        return rec

    def path_for_kernel(self, kernel_id: str) -> str | None:
        """The notebook path of the session using a kernel (None for a bare kernel)."""
        rec = next((r for r in self._alive() if r.kernel_id == kernel_id), None)
        return rec.path if rec is not None and rec.type == "notebook" else None

    def find_by_path(self, path: str) -> SessionRecord | None:
        return next((rec for rec in self._alive() if rec.path == path), None)

    async def create(
        self,
        path: str,
        name: str = "",
        type: str = "notebook",
        kernel_name: str | None = None,
        kernel_id: str | None = None,
    ) -> tuple[SessionRecord, bool]:
        """The session for `path`, and whether it was created (False: reused)."""
        existing = self.find_by_path(path)
        if existing is not None:
            return existing, False
        if kernel_id is not None:
            self.kernels.get(kernel_id)  # raises KernelNotFound
        else:
            kernel_id = await self.kernels.start(kernel_name, path)
        rec = SessionRecord(
            str(uuid.uuid4()), path, name or path.rsplit("/", 1)[-1], type, kernel_id
        )
        self._sessions[rec.id] = rec
        return rec, True

    async def update(
        self,
        session_id: str,
        path: str | None = None,
        name: str | None = None,
        type: str | None = None,
        kernel_name: str | None = None,
        kernel_id: str | None = None,
    ) -> SessionRecord:
        rec = self.get(session_id)
        if path is not None:
            rec.path = path
        if name is not None:
            rec.name = name
        if type is not None:
            rec.type = type
        old = rec.kernel_id
        if kernel_id is not None and kernel_id != old:
            self.kernels.get(kernel_id)
            rec.kernel_id = kernel_id
        elif kernel_name is not None and kernel_name != self.kernels.get(old).kernel_name:
            rec.kernel_id = await self.kernels.start(kernel_name, rec.path)
        if rec.kernel_id != old and not any(r.kernel_id == old for r in self._sessions.values()):
            await self.kernels.shutdown(old)
        return rec

    async def delete(self, session_id: str) -> None:
        rec = self.get(session_id)
        del self._sessions[session_id]
        if rec.kernel_id in self.kernels and not any(
            r.kernel_id == rec.kernel_id for r in self._sessions.values()
        ):
            await self.kernels.shutdown(rec.kernel_id)
