# Over 300 lines: one short method per contents operation, all behind the same checks.
"""The blocking side of the contents service: every operation on the files under a root.

ContentsManager (manager.py) runs these in a worker thread. Every path goes through the
PathResolver first; every write is atomic (atomic.py); nothing is overwritten
silently except by an explicit save.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from carnet.errors import (
    ContentsConflict,
    ContentsError,
    ContentsNotFound,
    ContentsWriteError,
    InvalidContents,
)
from carnet.nbfile import notebooks
from carnet.server.contents import atomic, checkpoints, getform, naming, reader, sentbody
from carnet.server.contents.cellmemo import CellMemo
from carnet.server.contents.known import FileFacts, Known, KnownFiles, file_stamp
from carnet.server.contents.models import (
    Model,
    add_hash,
    base_model,
    content_hash,
    decode_upload,
    guess_mimetype,
    notebook_json,
)
from carnet.server.contents.paths import CHECKPOINT_DIR, PathResolver, Resolved, join, split
from carnet.server.contents.savememo import Prepared, SaveMemo
from carnet.server.contents.trusthook import NotebookTrust
from carnet.server.contents.types import CheckpointModel
from carnet.server.contents.uploads import ChunkedUploads

_LOCK_STRIPES = 64


def _new_notebook() -> notebooks.Notebook:
    return {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


class FileStore:
    """Files, notebooks, directories and checkpoints under one root directory."""

    def __init__(self, root_dir: Path, allow_hidden: bool = False) -> None:
        self.paths = PathResolver(root_dir, allow_hidden)
        self.trust: NotebookTrust | None = None
        self._uploads = ChunkedUploads()
        self._known = KnownFiles()
        self._cells = CellMemo()
        self._saved = SaveMemo()
        # Saves of one file are serialized, so a hash check and the write that follows
        # it cannot interleave with another save of the same file.
        self._locks = [threading.Lock() for _ in range(_LOCK_STRIPES)]

    def _lock(self, real: Path) -> threading.Lock:
        return self._locks[hash(real) % _LOCK_STRIPES]

    # -- queries ---------------------------------------------------------------

    def kind(self, path: str) -> str | None:
        """'directory', 'file', or None when absent, hidden, outside the root or special."""
        try:
            st = os.stat(self.paths.resolve(path).real)
        except (OSError, ContentsError):
            return None
        if stat.S_ISDIR(st.st_mode):
            return "directory"
        return "file" if stat.S_ISREG(st.st_mode) else None

    def get(self, path: str, **options: Any) -> Model:
        return reader.get(self.paths, path, trust=self.trust, known=self._known, **options)

    def get_encoded(self, path: str, **options: Any) -> tuple[Model, bytes | None]:
        """The model, and a notebook's content as JSON bytes (see reader.get_encoded)."""
        return reader.get_encoded(
            self.paths, path, trust=self.trust, known=self._known, cells=self._cells, **options
        )

    # -- saving ----------------------------------------------------------------

    def read_save_body(self, raw: bytes, path: str) -> sentbody.Sent | None:
        """A save's body, read with what the last save of `path` was sent (sentbody.py);
        None: parse it the usual way. Its cells go to `save` with their texts."""
        try:
            real = self.paths.resolve(path).real
        except ContentsError:
            return None  # the save itself reports it
        return self._saved.read_body(real, raw)

    def save(
        self,
        model: Any,
        path: str,
        *,
        expected_hash: str | None = None,
        require_hash: bool = False,
        texts: Sequence[str] = (),
    ) -> Model:
        if not isinstance(model, dict):
            raise InvalidContents("The model must be a JSON object", "bad model")
        kind = model.get("type")
        if not kind:
            raise InvalidContents("No file type provided", "bad model")
        if kind not in reader.TYPES:
            raise InvalidContents(f"Unhandled contents type: {kind!r}", "bad type")
        target = self.paths.resolve(path)
        if not target.api:
            raise InvalidContents("Cannot save over the root directory", "bad path")
        self._require_parent(target)
        chunk = model.get("chunk")
        if chunk is not None:
            return self._save_chunk(model, target, chunk)
        if "content" not in model and kind != "directory":
            raise InvalidContents("No file content provided", "bad model")
        with self._lock(target.real):
            current = self._check_overwrite(target, kind, expected_hash)
            if kind == "directory":
                self._make_directory(target)
                return self.get(target.api, content=False)
            message: str | None = None
            sha256: str | None = None
            if kind == "notebook":
                nb = notebooks.check_savable(model["content"], target.api)
                prepared = self._saved.prepare(target.real, nb, texts)
                if prepared is None:
                    _load_cells(nb)
                    raw, finite = notebooks.serialized(nb, keep_marks=True)  # ids repaired first
                else:
                    raw, finite = prepared.raw, prepared.finite
                self._writable(target, current)
                with atomic.replacing(target.real, raw, target.api) as written:
                    # While the file is written: what its next GET needs, as reading it would.
                    facts, known = self._learn(nb, target.api, finite, prepared)
                message = facts.message
                sha256 = written()
                stamp = file_stamp(os.stat(target.real))
                self._known.store(target.real, known._replace(sha256=sha256, stamp=stamp))
                if not checkpoints.list_for(target.real):
                    checkpoints.create(target.real, target.api)
            else:
                raw = decode_upload(model["content"], model.get("format"), target.api)
                self._writable(target, current)
                atomic.replace_with(target.real, raw, target.api)
        result = self.get(target.api, content=False)
        if message:
            result["message"] = message
        if require_hash or expected_hash is not None:
            add_hash(result, raw, sha256)
        return result

    def _writable(self, target: Resolved, current: str | None) -> None:
        if current is not None and not os.access(target.real, os.W_OK):
            raise ContentsWriteError(
                f"Cannot save {target.api!r}: the file is read-only", "permission denied"
            )

    def _learn(
        self, nb: notebooks.Notebook, api: str, finite: bool, prepared: Prepared | None
    ) -> tuple[FileFacts, Known]:
        """Validate and sign a notebook being saved; what its next GET can be answered with.

        The next GET's content is joined from what `prepared` (savememo.py) kept of each
        cell as a GET sends it; without that, `nb` (serialized, its trust marks kept) is
        consumed: joined and marked as a GET of the file would make it, then encoded.
        Either only when the trust hook can say later whether those marks still hold.
        What `prepared` knows is not worked out again. The Known's sha256 is left for
        the caller to fill in.
        """
        valid = prepared is not None and prepared.valid
        if not valid:
            _load_cells(nb)
        facts = FileFacts(None if valid else notebooks.validation_message(nb))
        if self.trust is None:
            return facts, Known("", facts)
        if prepared is None:
            digest = self.trust.sign(nb, api)
        else:
            digest = self.trust.sign_parts(prepared.top, prepared.walks, prepared.all_trusted, api)
        facts = facts._replace(digest=digest)
        signed = self.trust.signed(facts.digest)
        if signed is None:
            return facts, Known("", facts)
        if prepared is not None and prepared.sent is not None:
            # Joined from each cell as a GET sends it, kept for those saved before.
            encoded = getform.notebook(prepared.sent, prepared.top, finite, signed)
            return facts, Known("", facts, encoded, signed)
        _load_cells(nb)
        notebooks.rejoin_lines(nb)  # lists of lines a client sent, joined as on reading
        notebooks.strip_transient(nb)  # the marks a client sent: reading has none but mark's
        facts = facts._replace(digest=self.trust.mark(nb, api, facts.digest))
        if self.trust.signed(facts.digest) != signed:
            return facts, Known("", facts)  # trust changed meanwhile: ask again on reading
        return facts, Known("", facts, notebook_json(nb, finite), signed)

    def _require_parent(self, target: Resolved) -> None:
        parent, _ = split(target.api)
        if not target.real.parent.is_dir():
            raise ContentsNotFound(f"No such directory: {parent!r}", "not found")

    def _check_overwrite(
        self, target: Resolved, kind: str, expected_hash: str | None
    ) -> str | None:
        """The kind of what is at `target` now; refuses type clashes and changed files."""
        current = self.kind(target.api)
        if current is None and os.path.lexists(target.real):
            raise InvalidContents(f"{target.api!r} is not a regular file", "bad type")
        if current == "directory" and kind != "directory":
            raise InvalidContents(f"{target.api!r} is a directory", "bad type")
        if current == "file" and kind == "directory":
            raise InvalidContents(f"{target.api!r} exists and is not a directory", "bad type")
        if expected_hash is not None and current is None:
            raise ContentsConflict(
                f"{target.api!r} was deleted since it was read", "changed on disk"
            )
        if expected_hash is not None and current == "file":
            actual = content_hash(reader.read_bytes(target.real, target.api))
            if actual != expected_hash:
                raise ContentsConflict(
                    f"{target.api!r} changed on disk since it was read", "changed on disk"
                )
        return current

    def _make_directory(self, target: Resolved) -> None:
        try:
            target.real.mkdir(exist_ok=True)
        except OSError as exc:
            raise atomic.write_error(target.api, exc) from exc

    def _save_chunk(self, model: dict[str, Any], target: Resolved, chunk: Any) -> Model:
        if not isinstance(chunk, int) or isinstance(chunk, bool) or chunk == 0 or chunk < -1:
            raise InvalidContents(f"Invalid chunk number {chunk!r}: 1, 2, ... or -1", "bad chunk")
        if model.get("type") != "file":
            raise InvalidContents(
                f"Contents type {model.get('type')!r} is not supported for chunked upload",
                "bad type",
            )
        if "content" not in model:
            raise InvalidContents("No file content provided", "bad model")
        if self.kind(target.api) == "directory":
            raise InvalidContents(f"{target.api!r} is a directory", "bad type")
        data = decode_upload(model["content"], model.get("format"), target.api)
        holder = self._uploads.write(target.real, target.api, chunk, data)
        result = base_model(target.api, holder, holder.stat(), "file")
        result["mimetype"] = guess_mimetype(target.api)
        return result

    # -- creating ------------------------------------------------------------

    def new(self, model: dict[str, Any] | None, path: str, texts: Sequence[str] = ()) -> Model:
        model = dict(model or {})
        model.setdefault("type", "notebook" if path.endswith(".ipynb") else "file")
        if "content" not in model and model["type"] == "notebook":
            model.update(content=_new_notebook(), format="json")
        elif "content" not in model and model["type"] == "file":
            model.update(content="", format="text")
        return self.save(model, path, texts=texts)

    def new_untitled(self, path: str = "", type: str = "", ext: str = "") -> Model:
        directory = self._directory(path)
        if "/" in ext or "\x00" in ext:
            raise InvalidContents(f"Invalid extension {ext!r}", "bad path")
        kind = type or ("notebook" if ext == ".ipynb" else "file")
        if kind == "directory":
            base, ext, insert = naming.UNTITLED_DIRECTORY, "", " "
        elif kind == "notebook":
            base, ext, insert = naming.UNTITLED_NOTEBOOK, ".ipynb", ""
        elif kind == "file":
            base, insert = naming.UNTITLED_FILE, ""
        else:
            raise InvalidContents(f"Unexpected model type: {kind!r}", "bad type")
        name = self._reserve(directory, base + ext, insert, kind == "directory")
        with self._unreserve_on_failure(directory, name):
            return self.new({"type": kind}, join(directory.api, name))

    def copy(self, from_path: str, to_path: str | None = None) -> Model:
        source = self.paths.resolve(from_path)
        source_kind = self.kind(source.api)
        if source_kind is None:
            raise ContentsNotFound(f"No such file or directory: {source.api!r}", "not found")
        if not source.api:
            raise InvalidContents("Cannot copy the root directory", "bad path")
        is_dir = source_kind == "directory"
        destination = split(source.api)[0] if to_path is None else to_path
        if self.kind(destination) == "directory":
            directory = self._directory(destination)
            base = naming.copy_base(split(source.api)[1])
            name = self._reserve(directory, base, naming.COPY_INSERT, is_dir)
            with self._unreserve_on_failure(directory, name):
                target = self.paths.resolve(join(directory.api, name))
                self._copy_to(source, target, is_dir)
        else:
            target = self.paths.resolve(destination)
            self._require_parent(target)
            if os.path.lexists(target.entry):
                raise ContentsConflict(f"File already exists: {target.api!r}", "exists")
            self._copy_to(source, target, is_dir)
        if target.api.endswith(".ipynb") and not checkpoints.list_for(target.real):
            # Jupyter's copy saves the notebook, and a first save leaves a checkpoint.
            checkpoints.create(target.real, target.api)
        return self.get(target.api, content=False)

    def _copy_to(self, source: Resolved, target: Resolved, is_dir: bool) -> None:
        if not is_dir:
            atomic.copy_file(source.real, target.real, target.api)
            return
        if target.real.is_relative_to(source.real):
            raise InvalidContents(
                f"Cannot copy {source.api!r} into itself ({target.api!r})", "bad path"
            )
        atomic.copy_tree(source.real, target.real, target.api)

    def _directory(self, path: str) -> Resolved:
        directory = self.paths.resolve(path)
        if self.kind(directory.api) != "directory":
            raise ContentsNotFound(f"No such directory: {directory.api!r}", "not found")
        return directory

    @contextlib.contextmanager
    def _unreserve_on_failure(self, directory: Resolved, name: str) -> Iterator[None]:
        """Remove a just-reserved (still empty) name when filling it fails."""
        try:
            yield
        except BaseException:
            placeholder = directory.real / name
            with contextlib.suppress(OSError):
                if placeholder.is_dir():
                    placeholder.rmdir()
                elif placeholder.stat().st_size == 0:
                    placeholder.unlink()
            raise

    def _reserve(self, directory: Resolved, name: str, insert: str, is_dir: bool) -> str:
        """Claim the first free name like `name` (exclusive create: no race between requests)."""
        taken: set[str] = set()
        while True:
            candidate = naming.increment_filename(
                name, lambda n: n in taken or os.path.lexists(directory.real / n), insert
            )
            try:
                if is_dir:
                    (directory.real / candidate).mkdir()
                else:
                    os.close(os.open(directory.real / candidate, os.O_CREAT | os.O_EXCL, 0o666))
                return candidate
            except FileExistsError:
                taken.add(candidate)
            except OSError as exc:
                raise atomic.write_error(join(directory.api, candidate), exc) from exc

    # -- renaming and deleting -----------------------------------------------

    def rename(self, old_path: str, new_path: str) -> Model:
        old, new = self.paths.resolve(old_path), self.paths.resolve(new_path)
        if not old.api or not new.api:
            raise InvalidContents("Cannot rename the root directory", "bad path")
        if not os.path.lexists(old.entry):
            raise ContentsNotFound(f"No such file or directory: {old.api!r}", "not found")
        if old.api != new.api:
            self._require_parent(new)
            if os.path.lexists(new.entry) and not _same_file(old.entry, new.entry):
                raise ContentsConflict(f"File already exists: {new.api!r}", "exists")
            try:
                os.rename(old.entry, new.entry)
            except OSError as exc:
                raise InvalidContents(
                    f"Cannot rename {old.api!r} to {new.api!r}: {exc.strerror}", "bad path"
                ) from exc
            checkpoints.move_all(old.entry, new.entry)
        return self.get(new.api, content=False)

    def delete(self, path: str) -> None:
        target = self.paths.resolve(path)
        if not target.api:
            raise InvalidContents("Cannot delete the root directory", "bad path")
        entry = target.entry
        if not os.path.lexists(entry):
            raise ContentsNotFound(f"No such file or directory: {target.api!r}", "not found")
        try:
            if entry.is_symlink():
                entry.unlink()  # the link only, never what it points to
                return
            if not entry.is_dir():
                entry.unlink()
                checkpoints.delete_all(target.real)
                return
            listing = os.listdir(entry)
            if listing and listing != [CHECKPOINT_DIR]:
                raise InvalidContents(f"Directory {target.api!r} is not empty", "not empty")
            shutil.rmtree(entry)
        except OSError as exc:
            raise ContentsWriteError(
                f"Cannot delete {target.api!r}: {exc.strerror}", "delete failed"
            ) from exc

    # -- checkpoints -----------------------------------------------------------

    def _file(self, path: str) -> Resolved:
        target = self.paths.resolve(path)
        if self.kind(target.api) is None:
            raise ContentsNotFound(f"No such file or directory: {target.api!r}", "not found")
        return target

    def create_checkpoint(self, path: str) -> CheckpointModel:
        target = self._file(path)
        return checkpoints.create(target.real, target.api)

    def list_checkpoints(self, path: str) -> list[CheckpointModel]:
        return checkpoints.list_for(self._file(path).real)

    def restore_checkpoint(self, checkpoint_id: str, path: str) -> None:
        target = self.paths.resolve(path)
        self._require_parent(target)
        with self._lock(target.real):
            checkpoints.restore(target.real, checkpoint_id, target.api)

    def delete_checkpoint(self, checkpoint_id: str, path: str) -> None:
        target = self._file(path)
        checkpoints.delete(target.real, checkpoint_id, target.api)


def _same_file(a: Path, b: Path) -> bool:
    """Whether two names are one file (a case-only rename on a case-insensitive filesystem)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _load_cells(nb: notebooks.Notebook) -> None:
    """A notebook's Unparsed cells (sentbody.py) loaded, for what needs them all."""
    cells = nb.get("cells")
    if isinstance(cells, list):
        sentbody.load_all(cells)
