"""The desk's daily work from the command line: the sharp edges issue 11 lists, one test each."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from imagegen import jpeg_bytes, write
from photodesk.catalog import Catalog
from photodesk.files import write_atomic


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_thumbnails_and_files_follow_the_umask(archive, tmp_path, mask):
    write(tmp_path / "in" / "a.jpg", jpeg_bytes(size=(64, 48), seed=7))
    # A fresh process, as the user runs it: its workers start with its umask.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "photodesk",
            "--archive",
            str(archive.root),
            "import",
            str(tmp_path / "in"),
        ],
        check=True,
        capture_output=True,
        preexec_fn=lambda: os.umask(mask),
    )
    with Catalog.open(archive) as catalog:
        (thumb,) = [r["thumb_path"] for r in catalog.db.query("SELECT thumb_path FROM photos")]
        thumb_mode = stat.S_IMODE(catalog.archive.resolve(thumb).stat().st_mode)
    old = os.umask(mask)
    try:
        write_atomic(tmp_path / "plain.txt", b"x")
    finally:
        os.umask(old)
    plain_mode = stat.S_IMODE((tmp_path / "plain.txt").stat().st_mode)
    assert thumb_mode == plain_mode == 0o666 & ~mask
