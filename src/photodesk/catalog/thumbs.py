"""Photos whose 512 px thumbnail is still to be made, and what finishing one writes.

An import catalogues a photo first (its row, search document and any preview
embedded in the file) and makes the real thumbnail after; `thumb_pending`
marks the photos in between, so a run killed in the middle is finished by the
next one.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from photodesk.catalog.sql import _rows, _value
from photodesk.catalog.tx import write


def pending(db: Database) -> list[dict[str, Any]]:
    """Every photo waiting for its thumbnail, oldest first (the order they were catalogued)."""
    return _rows(
        db,
        "SELECT id, sha256, file_name, file_size, format, orientation, original_path, "
        "thumb_path, import_run_id FROM photos WHERE thumb_pending = 1 ORDER BY id",
    )


def pending_count(db: Database) -> int:
    return int(_value(db, "SELECT count(*) FROM photos WHERE thumb_pending = 1") or 0)


def finish(db: Database, photo_id: int, thumb_path: str, phash: str | None) -> bool:
    """The real thumbnail is in place: point at it. False if the photo has gone meanwhile."""
    with write(db):
        cursor = db.execute(
            "UPDATE photos SET thumb_path = ?, phash = coalesce(?, phash), thumb_pending = NULL "
            "WHERE id = ? AND thumb_pending = 1",
            [thumb_path, phash, photo_id],
        )
        return cursor.rowcount > 0


def give_up(db: Database, photo_id: int) -> None:
    """No thumbnail can be made from this photo's pixels: stop trying on every run."""
    with write(db):
        db.execute("UPDATE photos SET thumb_pending = NULL WHERE id = ?", [photo_id])


def edited(db: Database, photo_id: int) -> bool:
    """Whether the desk has changed anything of this photo (its history holds a change)."""
    return _value(db, "SELECT 1 FROM history WHERE photo_id = ? LIMIT 1", [photo_id]) is not None
