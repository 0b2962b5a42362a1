"""Notary: signs, checks and marks notebooks; the contents service's trust hook.

A notebook is trusted when its digest (digest.py, keyed by the user's secret) is in
the signatures store. On read, `mark` sets each code cell's `metadata.trusted`; on
save, `sign` records the digest only if every cell with rich output is trusted, so a
save never launders output that came from elsewhere. The secret and the database
are opened on first use, not at start-up.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from carnet.trust import cells, digest, secret
from carnet.trust.store import DB_NAME, SignatureStore

Notebook = dict[str, Any]
# The digest `mark` hands out for a notebook whose marks cannot depend on its signature.
SAFE = "safe"


class Notary:
    """Notebook signatures for one user (one Jupyter data directory).

    `data_dir=None` keeps everything in memory: a fresh secret, an in-memory store.
    """

    algorithm = digest.ALGORITHM

    def __init__(
        self,
        data_dir: Path | None,
        *,
        store: SignatureStore | None = None,
        log: logging.Logger | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.log = log or logging.getLogger("carnet.trust")
        db_file = data_dir / DB_NAME if data_dir is not None else None
        self.store = store or SignatureStore(db_file, log=self.log)
        self._secret: bytes | None = None
        self._generation = 0  # of the secret: reset() makes a new one
        self._lock = threading.Lock()

    @property
    def secret_file(self) -> Path | None:
        return self.data_dir / secret.SECRET_NAME if self.data_dir is not None else None

    def secret(self) -> bytes:
        """The signing key, loaded (or created) on first use."""
        with self._lock:
            if self._secret is None:
                self._secret = self._load_secret()
            return self._secret

    def _load_secret(self) -> bytes:
        path = self.secret_file
        if path is None:
            return secret.new_secret()
        try:
            return secret.load_or_create(path)
        except OSError as exc:
            # Signatures made with a throwaway key are worthless on disk: keep them in memory.
            self.store.fall_back(f"cannot read or create the secret {path}: {exc}")
            return secret.new_secret()

    def compute_signature(self, nb: Notebook) -> str | None:
        """The notebook's digest, or None when it is too malformed to have one."""
        try:
            return digest.compute(nb, self.secret())
        except (TypeError, ValueError, RecursionError):
            return None

    def _signature_of_parts(self, top: Notebook, cell_walks: list[bytes]) -> str | None:
        """`compute_signature` of `{**top, "cells": cells}` from each cell's walk."""
        try:
            return digest.compute_from_parts(top, cell_walks, self.secret())
        except (TypeError, ValueError, RecursionError):
            return None

    def is_signed(self, nb: Notebook) -> bool:
        """Whether this exact notebook content was signed (by Carnet or Jupyter)."""
        signature = self.compute_signature(nb)
        return signature is not None and self.store.check(signature, self.algorithm)

    def trust(self, nb: Notebook) -> bool:
        """Sign the notebook unconditionally (the user said so); False if it cannot be signed."""
        signature = self.compute_signature(nb)
        if signature is None:
            return False
        self.store.store(signature, self.algorithm)
        return True

    def untrust(self, nb: Notebook) -> None:
        signature = self.compute_signature(nb)
        if signature is not None:
            self.store.remove(signature, self.algorithm)

    # -- the contents service's hook ---------------------------------------------
    # The digests it hands out name the secret they were made with, so one kept from
    # before a reset() is recomputed, not trusted.

    def _hand_out(self, signature: str | None) -> str | None:
        return None if signature is None else f"{self._generation}:{signature}"

    def _taken_back(self, digest: str | None) -> str | None:
        generation, _, signature = (digest or "").partition(":")
        return signature if signature and generation == str(self._generation) else None

    def mark(self, nb: Notebook, api_path: str = "", digest: str | None = None) -> str | None:
        """Set each code cell's `metadata.trusted` for a notebook being opened.

        `digest`, from an earlier mark or sign of this exact content, saves computing it.
        A notebook with no rich output anywhere is marked alike signed or not: its digest,
        as costly as parsing it, is not computed; SAFE stands for it.
        """
        signature = self._taken_back(digest)
        if signature is None and not any(map(cells.has_unsafe_output, cells.code_cells(nb))):
            cells.mark(nb, True)
            return SAFE
        signature = signature or self.compute_signature(nb)
        signed = signature is not None and self.store.check(signature, self.algorithm)
        if not signed:
            self.log.debug("Notebook %s is not trusted", api_path)
        cells.mark(nb, signed)
        return self._hand_out(signature)

    def digest_parts(self, top: Notebook, cell_walks: list[bytes] | None) -> str | None:
        """The digest `mark` would hand out for `{**top, "cells": cells}`, from each cell's
        `digest.cell_walk`; `cell_walks` None says no cell has rich output (SAFE)."""
        if cell_walks is None:
            return SAFE
        return self._hand_out(self._signature_of_parts(top, cell_walks))

    def signed(self, digest: str | None) -> bool | None:
        """Whether a digest from `mark` or `sign` is signed now (None: made before a reset).

        SAFE's notebook is marked as signed whatever the signatures say.
        """
        if digest == SAFE:
            return True
        signature = self._taken_back(digest)
        return None if signature is None else self.store.check(signature, self.algorithm)

    def sign(self, nb: Notebook, api_path: str = "") -> str | None:
        """Sign a notebook being saved, if every cell with rich output is trusted."""
        if not cells.all_trusted(nb):
            self.log.debug("Notebook %s has untrusted output: saved unsigned", api_path)
            return None
        signature = self.compute_signature(nb)
        if signature is not None:
            self.store.store(signature, self.algorithm)
        return self._hand_out(signature)

    def sign_parts(
        self, top: Notebook, cell_walks: list[bytes], all_trusted: bool, api_path: str = ""
    ) -> str | None:
        """`sign` of `{**top, "cells": cells}` from each cell's `digest.cell_walk`;
        `all_trusted` is what `cells.all_trusted` says of the cells."""
        if not all_trusted:
            self.log.debug("Notebook %s has untrusted output: saved unsigned", api_path)
            return None
        signature = self._signature_of_parts(top, cell_walks)
        if signature is not None:
            self.store.store(signature, self.algorithm)
        return self._hand_out(signature)

    def reset(self) -> None:
        """A new secret and an empty database: every earlier signature stops counting."""
        self.store.close()
        with self._lock:
            self._generation += 1
            if self.data_dir is not None:
                (self.data_dir / DB_NAME).unlink(missing_ok=True)
                self._secret = secret.reset(self.data_dir / secret.SECRET_NAME)
            else:
                self._secret = secret.new_secret()

    def close(self) -> None:
        self.store.close()
