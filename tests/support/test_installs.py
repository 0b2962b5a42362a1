"""The cached-install helper: whole or not at all, and a whole one is never replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.installs import install_once


def _whole(path: Path) -> bool:
    return (path / "done").exists()


def _build(into: Path) -> None:
    into.mkdir()
    (into / "done").write_text(into.name)


def test_a_missing_target_is_built_beside_it_then_renamed(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "tool"
    assert install_once(target, _whole, _build)
    assert (target / "done").read_text().startswith("tool.")  # built under another name
    assert sorted(p.name for p in target.parent.iterdir()) == ["tool"]


def test_a_whole_target_is_kept_and_a_broken_one_replaced(tmp_path: Path) -> None:
    target = tmp_path / "tool"
    target.mkdir()
    (target / "in-use").write_text("")
    assert install_once(target, _whole, _build)
    assert not (target / "in-use").exists()
    (target / "in-use").write_text("")
    assert install_once(target, _whole, _build)
    assert (target / "in-use").exists()  # whole: not built again


def test_a_failed_build_leaves_nothing_behind(tmp_path: Path) -> None:
    def fail(into: Path) -> None:
        into.mkdir()
        raise OSError("no index")

    with pytest.raises(OSError, match="no index"):
        install_once(tmp_path / "tool", _whole, fail)
    assert list(tmp_path.iterdir()) == []
