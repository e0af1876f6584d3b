"""What the integrity tools ask of the catalog: its files, their last check, its counts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from photodesk.catalog.sql import _one, _rows, _value
from photodesk.catalog.tx import write

_LAST_VERIFY = "last_verify"


def files(db: Database) -> Iterator[dict[str, Any]]:
    """Every photo's files as the catalog records them, in id order, a page at a time."""
    after = 0
    while True:
        page = _rows(
            db,
            "SELECT id, sha256, file_name, file_size, original_path, thumb_path, imported_at "
            "FROM photos WHERE id > ? ORDER BY id LIMIT 1000",
            [after],
        )
        if not page:
            return
        yield from page
        after = page[-1]["id"]


def record_verify(db: Database, result: dict[str, Any]) -> None:
    """Keep the last verification (when, how, what it found) for `status`."""
    with write(db):
        db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [_LAST_VERIFY, json.dumps(result)],
        )


def last_verify(db: Database) -> dict[str, Any] | None:
    value = _value(db, "SELECT value FROM settings WHERE key = ?", [_LAST_VERIFY])
    if not value:
        return None
    try:
        found = json.loads(value)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def counts(db: Database) -> dict[str, int]:
    """How much the archive holds, by kind of thing."""
    one = _one(
        db,
        "SELECT (SELECT count(*) FROM photos) AS photos, "
        "(SELECT count(*) FROM photos WHERE kind = 'photo') AS photographs, "
        "(SELECT count(*) FROM photos WHERE kind IN ('map', 'graphic')) AS artwork, "
        "(SELECT count(*) FROM captions) AS captions, "
        "(SELECT count(DISTINCT lang) FROM captions) AS languages, "
        "(SELECT count(*) FROM stories) AS stories, "
        "(SELECT count(*) FROM pairs) AS pairs, "
        "(SELECT count(*) FROM places) AS places, "
        "(SELECT count(*) FROM change_sets) AS change_sets, "
        "(SELECT coalesce(sum(file_size), 0) FROM photos) AS original_bytes",
    )
    return {k: int(v or 0) for k, v in (one or {}).items()}


def last_import(db: Database) -> dict[str, Any] | None:
    return _one(
        db,
        "SELECT id, started_at, finished_at, status, added, duplicates, skipped, failed "
        "FROM import_runs ORDER BY id DESC LIMIT 1",
    )


def integrity_check(db: Database) -> str:
    """SQLite's own check of the catalog file: "ok", or what is wrong."""
    rows = db.execute("PRAGMA integrity_check").fetchall()
    return "ok" if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:5])
