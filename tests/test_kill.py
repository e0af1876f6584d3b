"""An import killed with SIGKILL leaves a consistent catalog; the re-run finishes it."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from imagegen import exif_block, jpeg_bytes, write

N = 120


def _count(db_path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM photos").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


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
    while _count(archive.db_path) < 10 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    assert proc.poll() is None, "the import finished before it could be killed; raise N"
    os.killpg(proc.pid, signal.SIGKILL)  # the importer and its workers, mid-write
    proc.wait()
    killed_at = _count(archive.db_path)
    assert 10 <= killed_at < N

    conn = sqlite3.connect(archive.db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # every stored photo is whole: its thumbnail and original exist
    for thumb, original in conn.execute("SELECT thumb_path, original_path FROM photos"):
        assert (archive.root / thumb).is_file() and (archive.root / original).is_file()
    conn.close()

    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(archive.db_path)
    assert conn.execute("SELECT count(*), count(DISTINCT sha256) FROM photos").fetchone() == (N, N)
    assert conn.execute("SELECT count(*) FROM source_files").fetchone()[0] == N
    statuses = [r[0] for r in conn.execute("SELECT status FROM import_runs ORDER BY id")]
    assert statuses == ["interrupted", "finished"]
    conn.close()
