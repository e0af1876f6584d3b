"""Symbolic links, one policy: inside the folder followed, outside reported, loops caught."""

from __future__ import annotations

import os

from imagegen import jpeg_bytes, write
from photodesk.ingest import ImportOptions, import_paths


def _tree(tmp_path):
    src = tmp_path / "in"
    write(src / "a.jpg", jpeg_bytes(size=(64, 48), seed=1))
    write(src / "sub" / "b.jpg", jpeg_bytes(size=(64, 48), seed=2))
    write(tmp_path / "elsewhere" / "c.jpg", jpeg_bytes(size=(64, 48), seed=3))
    write(tmp_path / "elsewhere" / "deeper" / "d.jpg", jpeg_bytes(size=(64, 48), seed=4))
    return src


def _names(catalog) -> set[str]:
    return {r["file_name"] for r in catalog.db["photos"].rows}


def test_links_inside_the_folder_are_followed_once(catalog, tmp_path):
    src = _tree(tmp_path)
    os.symlink(src / "sub", src / "also_sub")  # a folder link inside
    os.symlink(src / "a.jpg", src / "a_again.jpg")  # a file link inside
    s = import_paths(catalog, [str(src)])
    assert (s.added, s.failed, s.warnings) == (2, 0, [])
    assert _names(catalog) == {"a.jpg", "b.jpg"}


def test_links_outside_are_reported_and_skipped_unless_asked(catalog, tmp_path):
    src = _tree(tmp_path)
    os.symlink(tmp_path / "elsewhere" / "c.jpg", src / "c_link.jpg")
    os.symlink(tmp_path / "elsewhere", src / "elsewhere_link")
    s = import_paths(catalog, [str(src)])
    assert s.added == 2 and s.failed == 0
    reasons = {os.path.basename(w["path"]): w["reason"] for w in s.warnings}
    assert set(reasons) == {"c_link.jpg", "elsewhere_link"}
    assert all("outside the folder being imported" in r for r in reasons.values())
    followed = import_paths(catalog, [str(src)], ImportOptions(follow_links=True))
    assert followed.added == 2 and followed.warnings == []
    assert _names(catalog) == {"a.jpg", "b.jpg", "c_link.jpg", "d.jpg"}  # the name it has here


def test_a_loop_is_caught_and_said(catalog, tmp_path):
    src = _tree(tmp_path)
    os.symlink(src, src / "sub" / "back_to_top")
    os.symlink(src / "sub" / "loop_a", src / "sub" / "loop_b")
    os.symlink(src / "sub" / "loop_b", src / "sub" / "loop_a")  # links to each other
    s = import_paths(catalog, [str(src)], ImportOptions(follow_links=True))
    assert s.added == 2
    said = {os.path.basename(p["path"]): p["reason"] for p in s.warnings + s.problems}
    assert "symbolic link loop" in said["back_to_top"]
    assert {"loop_a", "loop_b"} <= set(said)  # a link that resolves nowhere is reported


def test_a_broken_link_and_a_pipe_named_like_a_photo_are_problems(catalog, tmp_path):
    src = _tree(tmp_path)
    os.symlink(src / "gone.jpg", src / "dangling.jpg")
    os.mkfifo(src / "pipe.jpg")
    os.mkfifo(src / "pipe.txt")  # not named like an image: passed over, as other non-images
    s = import_paths(catalog, [str(src)])
    assert (s.added, s.failed, s.skipped) == (2, 2, 1)
    reasons = {os.path.basename(p["path"]): p["reason"] for p in s.problems}
    assert "broken symbolic link" in reasons["dangling.jpg"]
    assert "named pipe (FIFO)" in reasons["pipe.jpg"]


def test_the_cli_follows_links_when_asked(archive, run, tmp_path):
    src = _tree(tmp_path)
    os.symlink(tmp_path / "elsewhere", src / "elsewhere_link")
    first = run("import", str(src), "--json")
    assert '"added": 2' in first.output and "outside the folder being imported" in first.output
    second = run("import", str(src), "--follow-links", "--json")
    assert '"added": 2' in second.output
