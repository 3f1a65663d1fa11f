"""Safe paths from territory ids, and atomic writes that keep the last good file."""

from __future__ import annotations

import os
import stat

import pytest

from tzeval import atomic
from tzeval.paths import UnsafeIdentifierError, territory_file


@pytest.mark.parametrize("bad", ["../x", "..", ".", "a/b", "a\\b", "/etc/passwd", "", "x.html"])
def test_unsafe_ids_never_reach_the_file_system(tmp_path, bad):
    with pytest.raises(UnsafeIdentifierError):
        territory_file(tmp_path, bad, ".html")


def test_slug_ids_stay_inside_the_folder(tmp_path):
    assert territory_file(tmp_path, "saint-ok-2", ".html") == (tmp_path / "saint-ok-2.html").resolve()


def test_failed_write_keeps_the_previous_file(tmp_path):
    target = tmp_path / "report.html"
    atomic.write_text(target, "good")

    def broken_writer(path):
        path.write_text("half")
        raise RuntimeError("notebook failed")

    with pytest.raises(RuntimeError):
        atomic.write_with(target, broken_writer)
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"], "no temporary file left behind"


def test_written_files_are_readable_by_others(tmp_path):
    old = os.umask(0o022)
    try:
        path = atomic.write_text(tmp_path / "shared.html", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
