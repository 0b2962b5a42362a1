"""The hook the contents store calls for notebook trust (carnet.trust.Notary is one)."""

from __future__ import annotations

from typing import Protocol

from carnet.nbfile import notebooks


class NotebookTrust(Protocol):
    """The hook for notebook trust (signatures): marks cells on read, signs on save.

    Both return the notebook's digest in a form only the hook understands (None when
    it has none), which the store keeps with the file's state and hands back to `mark`
    while the file is unchanged: digesting a big notebook costs as much as validating it.
    """

    def mark(self, nb: notebooks.Notebook, api_path: str, digest: str | None = None) -> str | None:
        """Set each code cell's `metadata.trusted` for a notebook about to be sent."""

    def sign(self, nb: notebooks.Notebook, api_path: str) -> str | None:
        """Record the signature of a notebook about to be saved, if all its cells are trusted."""

    def digest_parts(self, top: notebooks.Notebook, cell_walks: list[bytes] | None) -> str | None:
        """The digest `mark` would return for `{**top, "cells": cells}` without marking it,
        from what each cell adds to it (trust.digest.cell_walk); None for `cell_walks`
        says no cell has rich output."""

    def sign_parts(
        self,
        top: notebooks.Notebook,
        cell_walks: list[bytes],
        all_trusted: bool,
        api_path: str,
    ) -> str | None:
        """`sign` of `{**top, "cells": cells}` from what each cell adds to its digest;
        `all_trusted` says whether every cell with rich output is marked trusted."""

    def signed(self, digest: str | None) -> bool | None:
        """Whether a digest `mark` or `sign` returned is signed now; None: cannot tell.

        Lets a notebook marked before be sent again as marked then, while the answer
        is the same; None means it must be marked again.
        """
