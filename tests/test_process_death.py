"""No process outlives its import: kill -9, SIGTERM or SIGHUP of the importer leaves nothing.

The import runs in its own session, so every process it starts (the
forkserver, the resource tracker, the workers) is found in /proc by session
id. Its workers are stuck in a catastrophic regular expression, C code that
holds the GIL and heeds no signal handler: only the kernel can end them,
which is what PR_SET_PDEATHSIG is for.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from imagegen import jpeg_bytes, write

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc and relies on PR_SET_PDEATHSIG"
)

STALL = """
import re

from photodesk.ingest.worker import inspect, step


def inspect_stalled(job):
    step("decode")
    re.match(r"(a+)+$", "a" * 64 + "!")  # 2**64 steps in C, the GIL held throughout
    return inspect(job)
"""

DRIVER = """
import functools
import sys

import stall
from photodesk.ingest import pool

if __name__ == "__main__":
    pool.crew = functools.partial(pool.crew, work=stall.inspect_stalled)
    from photodesk.cli import main

    main(sys.argv[1:])
"""

WORKERS = 2


def _session(sid: int) -> dict[int, str]:
    """The live processes of a session (zombies are dead: they only wait to be reaped)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_bytes().rsplit(b")", 1)[1].split()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[3]) == sid and stat[0] != b"Z":
            found[int(entry)] = cmdline.replace(b"\0", b" ").decode(errors="replace")[:120]
    return found


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def stalled_import(tmp_path, archive):
    """Start `photodesk import` on a batch its workers never finish; yield the process."""
    (tmp_path / "stall.py").write_text(STALL)
    (tmp_path / "driver.py").write_text(DRIVER)
    for i in range(6):
        write(tmp_path / "in" / f"{i}.jpg", jpeg_bytes(seed=300 + i))
    cmd = [sys.executable, str(tmp_path / "driver.py"), "--archive", str(archive.root)]
    cmd += ["import", str(tmp_path / "in"), "--workers", str(WORKERS), "--json"]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        # The importer, the resource tracker, the forkserver and every worker.
        started = _wait_for(lambda: len(_session(proc.pid)) >= 3 + WORKERS, 30)
        assert started, f"the import did not start its workers: {_session(proc.pid)}"
        time.sleep(0.3)  # the workers are inside the stalled step by now
        yield proc
    finally:
        if _session(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)  # never leave a failed test's processes behind
        proc.wait(10)
        proc.stderr.close()


def _run_status(archive) -> str:
    conn = sqlite3.connect(archive.db_path)
    try:
        return conn.execute("SELECT status FROM import_runs ORDER BY id DESC").fetchone()[0]
    finally:
        conn.close()


def test_kill_9_of_the_importer_takes_every_child_with_it(stalled_import):
    sid = stalled_import.pid
    children = set(_session(sid)) - {sid}
    assert len(children) >= 2 + WORKERS
    os.kill(stalled_import.pid, signal.SIGKILL)  # the importer alone, as `kill -9 PID` does
    stalled_import.wait(10)
    gone = _wait_for(lambda: not _session(sid), 15)
    assert gone, f"outlived the importer: {_session(sid)}"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_sighup_stop_an_import_as_ctrl_c_does(stalled_import, archive, signum):
    sid = stalled_import.pid
    os.kill(stalled_import.pid, signum)
    assert stalled_import.wait(20) == 128 + signum
    assert b"import interrupted" in stalled_import.stderr.read()
    assert _run_status(archive) == "interrupted"
    gone = _wait_for(lambda: not _session(sid), 15)
    assert gone, f"outlived the importer: {_session(sid)}"
