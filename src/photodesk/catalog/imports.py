"""Import runs, their problems, and the source files already seen."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

from sqlite_utils import Database

from photodesk.catalog.tx import write


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _started(pid: int) -> str | None:
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
    return started is None or _started(pid) in (None, started)


def start_run(db: Database, paths: list[str], mode: str) -> int:
    with write(db):
        # A run still "running" whose process is gone was killed: say so.
        for run_id, pid, started in db.execute(
            "SELECT id, pid, pid_started FROM import_runs WHERE status = 'running'"
        ).fetchall():
            if not _alive(pid, started):
                db["import_runs"].update(run_id, {"status": "interrupted"})
        return (
            db["import_runs"]
            .insert(  # type: ignore[return-value]
                {
                    "started_at": _now(),
                    "status": "running",
                    "paths": json.dumps(paths),
                    "mode": mode,
                    "pid": os.getpid(),
                    "pid_started": _started(os.getpid()),
                }
            )
            .last_pk
        )


def finish_run(db: Database, run_id: int, status: str, counts: dict[str, int]) -> None:
    with write(db):
        db["import_runs"].update(run_id, {"finished_at": _now(), "status": status, **counts})


def add_problem(db: Database, run_id: int, path: str, reason: str, severity: str = "error") -> None:
    db["import_problems"].insert(
        {"run_id": run_id, "path": path, "reason": reason, "severity": severity}
    )


def known_file(db: Database, path: str, size: int, mtime_ns: int) -> int | None:
    """The photo id for a source file seen before with the same size and mtime."""
    row = db.execute(
        "SELECT photo_id FROM source_files WHERE path = ? AND size = ? AND mtime_ns = ?",
        [path, size, mtime_ns],
    ).fetchone()
    return row[0] if row else None


def remember_file(
    db: Database, path: str, size: int, mtime_ns: int, photo_id: int, run_id: int
) -> None:
    db["source_files"].upsert(
        {
            "path": path,
            "size": size,
            "mtime_ns": mtime_ns,
            "photo_id": photo_id,
            "import_run_id": run_id,
        },
        pk="path",
    )
