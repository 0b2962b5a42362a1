"""ContentsManager: the asyncio face of the contents service (app.state.contents).

Method names and arguments follow jupyter_server's ContentsManager, so code written
against that API reads naturally. Each call runs its blocking file I/O in a worker
thread, keeping the event loop (and every websocket) responsive while a 10 MB
notebook is parsed or written. Errors are ContentsError subclasses with a `reason`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from carnet.server import malloc
from carnet.server.contents import sentbody
from carnet.server.contents.models import Model
from carnet.server.contents.store import FileStore
from carnet.server.contents.trusthook import NotebookTrust
from carnet.server.contents.types import CheckpointModel
from carnet.server.jsonbody import BIG_BODY

# Files from this size on make their buffers worth keeping for the next request.
BIG_FILE = 1 << 20
# Seconds after the last big file before freed buffers go back to the system.
TRIM_AFTER_BIG_FILE = 5.0


class ContentsManager:
    """Files, notebooks, directories and checkpoints under `root_dir`."""

    def __init__(self, root_dir: Path, allow_hidden: bool = False) -> None:
        self._store = FileStore(Path(root_dir), allow_hidden)
        # Set by the runner when it tuned malloc (an option): big files then trim after.
        self.malloc_tuned = False

    @property
    def root_dir(self) -> Path:
        """The real (symlink-free) root directory."""
        return self._store.paths.root

    @property
    def allow_hidden(self) -> bool:
        return self._store.paths.allow_hidden

    @property
    def trust(self) -> NotebookTrust | None:
        """The notebook trust hook (signatures); None until the trust feature sets one."""
        return self._store.trust

    @trust.setter
    def trust(self, value: NotebookTrust | None) -> None:
        self._store.trust = value

    # -- synchronous helpers (no I/O beyond a stat) ------------------------------

    def os_path(self, path: str) -> Path:
        """The checked real path of an API path (e.g. a kernel's working directory)."""
        return self._store.paths.resolve(path).real

    def is_hidden(self, path: str) -> bool:
        return self._store.paths.is_hidden(path)

    # -- queries ---------------------------------------------------------------

    async def file_exists(self, path: str) -> bool:
        return await asyncio.to_thread(self._store.kind, path) == "file"

    async def dir_exists(self, path: str) -> bool:
        return await asyncio.to_thread(self._store.kind, path) == "directory"

    async def exists(self, path: str) -> bool:
        return await asyncio.to_thread(self._store.kind, path) is not None

    async def get(
        self,
        path: str,
        content: bool = True,
        type: str | None = None,
        format: str | None = None,
        require_hash: bool = False,
    ) -> Model:
        """The model of a file, notebook or directory; `type` and `format` are requests."""
        model = await asyncio.to_thread(
            self._store.get,
            path,
            content=content,
            type=type,
            format=format,
            require_hash=require_hash,
        )
        return self._moved(model) if content else model

    async def get_encoded(
        self,
        path: str,
        content: bool = True,
        type: str | None = None,
        format: str | None = None,
        require_hash: bool = False,
    ) -> tuple[Model, bytes | None]:
        """As `get`, but a notebook's content comes as JSON bytes, to splice into a response.

        The model's own content is then None. An unchanged notebook is answered with the
        bytes encoded for it before (contents/known.py), not parsed, validated and
        digested again.
        """
        model, encoded = await asyncio.to_thread(
            self._store.get_encoded,
            path,
            content=content,
            type=type,
            format=format,
            require_hash=require_hash,
        )
        return (self._moved(model) if content else model), encoded

    # -- changes ---------------------------------------------------------------

    async def read_save_body(self, raw: bytes, path: str) -> sentbody.Sent | None:
        """The body of a save of `path`, its cells read against the last save's (see
        sentbody.py); None: parse it the usual way. A big one is read in a thread."""
        if len(raw) < BIG_BODY:
            return self._store.read_save_body(raw, path)
        return await asyncio.to_thread(self._store.read_save_body, raw, path)

    async def save(
        self,
        model: dict[str, Any],
        path: str,
        *,
        expected_hash: str | None = None,
        require_hash: bool = False,
        texts: Sequence[str] = (),
    ) -> Model:
        """Save a model (notebook, file, directory or upload chunk); returns it without content.

        With `expected_hash`, the save is refused (ContentsConflict) unless the file on
        disk still has that sha256, so a change made elsewhere is never overwritten.
        `texts`: what read_save_body read each cell of a notebook's content as.
        """
        return self._moved(
            await asyncio.to_thread(
                self._store.save,
                model,
                path,
                expected_hash=expected_hash,
                require_hash=require_hash,
                texts=texts,
            )
        )

    async def new(
        self, model: dict[str, Any] | None = None, path: str = "", texts: Sequence[str] = ()
    ) -> Model:
        """Create `path` (empty notebook or file unless the model has content); `texts` as
        for `save`."""
        return self._moved(await asyncio.to_thread(self._store.new, model, path, texts))

    def _moved(self, model: Model) -> Model:
        """Note a big file read or written (see server/malloc.py); the model unchanged."""
        size = model.get("size")
        if self.malloc_tuned and isinstance(size, int) and size >= BIG_FILE:
            malloc.TRIMMER.after(TRIM_AFTER_BIG_FILE)
        return model

    async def new_untitled(self, path: str = "", type: str = "", ext: str = "") -> Model:
        """Create Untitled.ipynb, untitled<ext> or Untitled Folder (numbered) in `path`."""
        return await asyncio.to_thread(self._store.new_untitled, path, type, ext)

    async def copy(self, from_path: str, to_path: str | None = None) -> Model:
        """Copy a file into a directory (as name-CopyN) or to a new path."""
        return await asyncio.to_thread(self._store.copy, from_path, to_path)

    async def rename(self, old_path: str, new_path: str) -> Model:
        return await asyncio.to_thread(self._store.rename, old_path, new_path)

    async def update(self, model: dict[str, Any], path: str) -> Model:
        """PATCH semantics: a model with a new `path` renames."""
        new_path = model.get("path")
        return await self.rename(path, new_path if isinstance(new_path, str) else path)

    async def delete(self, path: str) -> None:
        await asyncio.to_thread(self._store.delete, path)

    # -- checkpoints -----------------------------------------------------------

    async def create_checkpoint(self, path: str) -> CheckpointModel:
        return await asyncio.to_thread(self._store.create_checkpoint, path)

    async def list_checkpoints(self, path: str) -> list[CheckpointModel]:
        return await asyncio.to_thread(self._store.list_checkpoints, path)

    async def restore_checkpoint(self, checkpoint_id: str, path: str) -> None:
        await asyncio.to_thread(self._store.restore_checkpoint, checkpoint_id, path)

    async def delete_checkpoint(self, checkpoint_id: str, path: str) -> None:
        await asyncio.to_thread(self._store.delete_checkpoint, checkpoint_id, path)
