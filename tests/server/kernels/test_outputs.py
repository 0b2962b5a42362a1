"""CellRun keeps a run's whole output: in memory up to its bound, on disk past it."""

from __future__ import annotations

from typing import Any

from carnet.protocol import Session
from carnet.server.kernels.outputs import CellRun
from tests.support.memory import held_after

_session = Session()


def send(run: CellRun, kind: str, **content: Any) -> None:
    run.apply(_session.msg(kind, content))


def test_a_million_lines_are_kept_whole_with_memory_bounded() -> None:
    run = CellRun("c", memory_limit=1 << 20)
    expected = []
    for block in range(10_000):
        text = "".join(f"line {block * 100 + i}\n" for i in range(100))
        expected.append(text)
        send(run, "stream", name="stdout", text=text)
        assert run.in_memory <= 1 << 20
    full = "".join(expected)
    assert len(full) > 10 << 20
    assert run.spilled == len(full.encode()) - run.in_memory
    assert run.outputs == [{"output_type": "stream", "name": "stdout", "text": full}]
    run.close()
    assert run.spilled == 0


def test_spilled_streams_keep_their_order_names_and_characters() -> None:
    run = CellRun("c", memory_limit=10)
    pieces = [("stdout", "abc"), ("stdout", "défg\n"), ("stderr", "→ warn\n"), ("stdout", "z€\n")]
    for name, text in pieces:
        send(run, "stream", name=name, text=text)
    assert run.in_memory <= 10
    assert run.spilled > 0
    assert run.outputs == [
        {"output_type": "stream", "name": "stdout", "text": "abcdéfg\n"},
        {"output_type": "stream", "name": "stderr", "text": "→ warn\n"},
        {"output_type": "stream", "name": "stdout", "text": "z€\n"},
    ]
    run.close()


def test_rich_outputs_past_the_bound_are_spilled_and_still_updated() -> None:
    run = CellRun("c", memory_limit=200)
    big = "x" * 150
    send(run, "display_data", data={"text/plain": big}, metadata={}, transient={"display_id": "a"})
    send(
        run,
        "display_data",
        data={"text/plain": "1"},
        metadata={"m": 1},
        transient={"display_id": "b"},
    )
    assert run.spilled > 0  # the second did not fit in what the first left
    send(
        run,
        "update_display_data",
        data={"text/plain": "2"},
        metadata={},
        transient={"display_id": "b"},
    )
    send(run, "error", ename="E", evalue="v", traceback=["t" * 300])
    outputs = run.outputs
    assert outputs[0]["data"] == {"text/plain": big}
    assert outputs[1] == {
        "output_type": "display_data",
        "data": {"text/plain": "2"},
        "metadata": {},
    }
    assert outputs[2]["traceback"] == ["t" * 300]
    assert run.display_ids == ["a", "b", None]
    assert run.in_memory <= 200
    run.close()


def test_clear_output_forgets_what_was_spilled() -> None:
    run = CellRun("c", memory_limit=8)
    send(run, "stream", name="stdout", text="0123456789" * 10)
    assert run.spilled > 0
    send(run, "clear_output", wait=False)
    assert (run.outputs, run.in_memory, run.spilled) == ([], 0, 0)
    send(run, "stream", name="stdout", text="after\n")
    assert run.outputs == [{"output_type": "stream", "name": "stdout", "text": "after\n"}]
    run.close()


def test_tiny_prints_cost_their_characters_not_an_object_each() -> None:
    run = CellRun("c")

    def print_digits() -> None:
        for i in range(100_000):
            run.apply(_session.msg("stream", {"name": "stdout", "text": f"{i % 10}\n"}))

    held = held_after(print_digits)
    assert run.outputs[0]["text"] == "".join(f"{i % 10}\n" for i in range(100_000))
    assert held < 1_000_000  # a str kept per message would be over 5 MB
    run.close()
