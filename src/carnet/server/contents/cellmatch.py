"""Which cells of a notebook's new version are cells of the version before.

Both memos keep a notebook's cells in order: cellmemo.py the cells of the file last
read, savememo.py those of the last save. Given the next version, each looks for
every new cell among the old ones, and reuses what it kept of those found. Between
two versions most cells are unchanged, some are inserted, deleted or edited, a few
are moved. So a new cell is compared with the old cell at the same place, then with
the one as far from the end (cells inserted or deleted before it), and only the
cells still unmatched on both sides are compared by a key (moved cells), which the
caller may make costly (a hash): it is asked for no other cell.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable


def match(
    count: int,
    old_count: int,
    equal: Callable[[int, int], bool],
    key: Callable[[int], Hashable | None],
    old_key: Callable[[int], Hashable | None],
    *,
    start: int = 0,
) -> list[int | None]:
    """For each of `count` new cells, the index of an equal one of `old_count` old cells,
    or None.

    `equal(new, old)` compares two cells; `key(new)` and `old_key(old)` are equal for
    equal cells (None: no key, never matched by it). The caller knows the first `start`
    cells to be the old ones at the same place. An old cell matches at most one new cell
    at the same place or from the end; by key, it may match several equal new cells.
    """
    if not 0 <= start <= min(count, old_count):
        raise ValueError(f"start {start} is outside both versions' cells")
    found: list[int | None] = list(range(start))
    shift = old_count - count
    unmatched_old = set(range(start, old_count))
    unmatched: list[int] = []
    for index in range(start, count):
        for before in (index, index + shift) if shift else (index,):
            if before in unmatched_old and equal(index, before):
                found.append(before)
                unmatched_old.discard(before)
                break
        else:
            found.append(None)
            unmatched.append(index)
    if unmatched and unmatched_old:
        by_key: dict[Hashable, int] = {}
        for before in sorted(unmatched_old):
            old = old_key(before)
            if old is not None:
                by_key.setdefault(old, before)
        for index in unmatched:
            new = key(index)
            found[index] = by_key.get(new) if new is not None else None
    return found
