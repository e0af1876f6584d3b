"""Stories (assignments): named, ordered lists of photos."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlite_utils import Database


def find(db: Database, name: str) -> int | None:
    row = db.execute(
        "SELECT id FROM stories WHERE name = ? COLLATE NOCASE", [name.strip()]
    ).fetchone()
    return row[0] if row else None


def find_or_create(db: Database, name: str) -> int:
    existing = find(db, name)
    if existing is not None:
        return existing
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return db["stories"].insert({"name": name.strip(), "created_at": now}).last_pk  # type: ignore[return-value]


def append(db: Database, story_id: int, photo_ids: Iterable[int]) -> int:
    """Add photos at the end of the story, keeping the order given; returns how many were new."""
    row = db.execute(
        "SELECT COALESCE(MAX(position), 0) FROM story_photos WHERE story_id = ?", [story_id]
    ).fetchone()
    position = row[0]
    added = 0
    for photo_id in photo_ids:
        position += 1
        cur = db.execute(
            "INSERT OR IGNORE INTO story_photos (story_id, photo_id, position) VALUES (?, ?, ?)",
            [story_id, photo_id, position],
        )
        added += cur.rowcount
    return added
