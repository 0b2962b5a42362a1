"""Matching a notebook's new cells with its old ones (contents/cellmatch.py), as both the
read memo and the save memo do: a match is always an equal cell, an unchanged cell is
always found, and the costly key is asked for only the cells left unmatched."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carnet.server.contents import cellmatch

# Cells as small integers, so that equal cells are frequent (copied, changed back).
CELLS = st.lists(st.integers(0, 6), max_size=12)
EDIT = st.tuples(st.sampled_from(["insert", "delete", "change", "move"]), st.integers(0, 20))


def matched(new: list[int], old: list[int], start: int = 0) -> tuple[list[int | None], int]:
    """The match, and how many keys it asked for."""
    asked = 0

    def key(values: list[int]) -> Callable[[int], Hashable]:
        def make(index: int) -> Hashable:
            nonlocal asked
            asked += 1
            return values[index]

        return make

    found = cellmatch.match(
        len(new),
        len(old),
        lambda index, before: new[index] == old[before],
        key(new),
        key(old),
        start=start,
    )
    return found, asked


def edited(old: list[int], edits: list[tuple[str, int]]) -> list[int]:
    new = list(old)
    for number, (what, where) in enumerate(edits):
        fresh = 100 + number  # a cell no version had
        if what == "insert":
            new.insert(where % (len(new) + 1), fresh)
        elif new and what == "delete":
            del new[where % len(new)]
        elif new and what == "change":
            new[where % len(new)] = fresh
        elif new and what == "move":
            new.insert(where % len(new), new.pop(where % len(new) - 1))
    return new


@settings(max_examples=300, deadline=None)
@given(CELLS, st.lists(EDIT, max_size=4), st.data())
def test_a_match_is_an_equal_cell_and_no_equal_cell_left_over_is_missed(
    old: list[int], edits: list[tuple[str, int]], data: st.DataObject
) -> None:
    new = edited(old, edits)
    shared = 0
    while shared < min(len(new), len(old)) and new[shared] == old[shared]:
        shared += 1
    start = data.draw(st.integers(0, shared))
    found, _ = matched(new, old, start)
    assert len(found) == len(new)
    assert found[:start] == list(range(start))
    for index, before in enumerate(found):
        if before is not None:
            assert new[index] == old[before]
        else:
            assert new[index] not in old or new[index] in new[:index] + new[index + 1 :]


def test_an_unchanged_notebook_matches_in_place_without_a_key() -> None:
    old = [1, 2, 1, 3, 1]
    assert matched(list(old), old) == ([0, 1, 2, 3, 4], 0)


@pytest.mark.parametrize("where", [0, 2, 5])
def test_cells_inserted_or_deleted_are_matched_from_the_end_without_a_key(where: int) -> None:
    old = [10, 11, 12, 13, 14]
    inserted = [*old[:where], 99, *old[where:]]
    expected: list[int | None] = [*range(where), None, *range(where, 5)]
    assert matched(inserted, old) == (expected, 0)  # no old cell is left to look among
    deleted = old[:where] + old[where + 1 :] if where < 5 else old[:-1]
    gone = min(where, 4)
    assert matched(deleted, old) == ([i for i in range(5) if i != gone], 0)


def test_moved_cells_are_found_by_key_and_only_those_are_keyed() -> None:
    old = [10, 11, 12, 13, 14, 15]
    new = [10, 13, 12, 11, 14, 15]
    found, asked = matched(new, old)
    assert found == [0, 3, 2, 1, 4, 5]
    assert asked == 4  # cells 1 and 3 of each version


def test_the_cells_known_from_the_start_are_not_compared() -> None:
    compared: list[tuple[int, int]] = []

    def equal(index: int, before: int) -> bool:
        compared.append((index, before))
        return True

    found = cellmatch.match(4, 4, equal, lambda i: i, lambda i: i, start=3)
    assert found == [0, 1, 2, 3]
    assert compared == [(3, 3)]


def test_a_start_past_either_version_is_refused() -> None:
    with pytest.raises(ValueError, match="start 3"):
        cellmatch.match(2, 5, lambda i, j: True, lambda i: i, lambda i: i, start=3)
