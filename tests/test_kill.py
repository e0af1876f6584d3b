"""An import killed with SIGKILL leaves a consistent catalog; the re-run finishes it."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from archive_checks import (
    assert_archive_whole,
    count_rows,
    photos_and_distinct_hashes,
    photos_so_far,
)
from imagegen import exif_block, jpeg_bytes, write

N = 120


def test_sigkill_mid_batch_then_rerun(tmp_path, archive):
    src = tmp_path / "in"
    for i in range(N):
        write(src / f"{i:03}.jpg", jpeg_bytes(size=(800, 600), seed=i, exif=exif_block()))
    cmd = [
        sys.executable,
        "-m",
        "photodesk",
        "--archive",
        str(archive.root),
        "import",
        str(src),
        "--json",
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while (
        photos_so_far(archive.db_path) < 10 and time.monotonic() < deadline and proc.poll() is None
    ):
        time.sleep(0.01)
    assert proc.poll() is None, "the import finished before it could be killed; raise N"
    os.killpg(proc.pid, signal.SIGKILL)  # the importer and its workers, mid-write
    proc.wait()
    killed_at = count_rows(archive.db_path)
    assert 10 <= killed_at < N
    assert_archive_whole(archive)  # every stored photo is whole, the catalog sound

    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert photos_and_distinct_hashes(archive.db_path) == (N, N)
    assert count_rows(archive.db_path, "source_files") == N
    assert_archive_whole(archive)
    conn = sqlite3.connect(archive.db_path)
    statuses = [r[0] for r in conn.execute("SELECT status FROM import_runs ORDER BY id")]
    assert statuses == ["interrupted", "finished"]
    conn.close()
