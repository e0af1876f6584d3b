"""Import runs, their problems, and the source files already seen."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

from sqlite_utils import Database

from photodesk.catalog.sql import _insert, _rows, _update, _value
from photodesk.catalog.tx import write


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def process_started(pid: int) -> str | None:
    """When a process started (Linux /proc), so a pid reused later is not mistaken for it."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            # The command name (field 2) may hold spaces; fields after it are fixed.
            return f.read().rsplit(b")", 1)[1].split()[19].decode()
    except (OSError, IndexError):
        return None


def _alive(pid: int | None, started: str | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return started is None or process_started(pid) in (None, started)


def start_run(db: Database, paths: list[str], mode: str) -> int:
    with write(db):
        # A run still "running" whose process is gone was killed: say so.
        for run in _rows(
            db, "SELECT id, pid, pid_started FROM import_runs WHERE status = 'running'"
        ):
            if not _alive(run["pid"], run["pid_started"]):
                _update(db, "import_runs", run["id"], {"status": "interrupted"})
        return _insert(
            db,
            "import_runs",
            {
                "started_at": _now(),
                "status": "running",
                "paths": json.dumps(paths),
                "mode": mode,
                "pid": os.getpid(),
                "pid_started": process_started(os.getpid()),
            },
        )


def finish_run(db: Database, run_id: int, status: str, counts: dict[str, int]) -> None:
    with write(db):
        _update(db, "import_runs", run_id, {"finished_at": _now(), "status": status, **counts})


def add_problem(db: Database, run_id: int, path: str, reason: str, severity: str = "error") -> None:
    with write(db):
        _insert(
            db,
            "import_problems",
            {"run_id": run_id, "path": path, "reason": reason, "severity": severity},
        )


def known_file(db: Database, path: str, size: int, mtime_ns: int) -> int | None:
    """The photo id for a source file seen before with the same size and mtime."""
    return _value(
        db,
        "SELECT photo_id FROM source_files WHERE path = ? AND size = ? AND mtime_ns = ?",
        [path, size, mtime_ns],
    )


def remember_file(
    db: Database, path: str, size: int, mtime_ns: int, photo_id: int, run_id: int
) -> None:
    with write(db):
        db.execute(
            "INSERT INTO source_files (path, size, mtime_ns, photo_id, import_run_id) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, photo_id = excluded.photo_id, "
            "import_run_id = excluded.import_run_id",
            [path, size, mtime_ns, photo_id, run_id],
        )
