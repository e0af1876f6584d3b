"""Stories (assignments): named, ordered lists of photos."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from photodesk.catalog import history, names
from photodesk.catalog.sql import _insert, _one, _rows, _value
from photodesk.catalog.tx import write
from photodesk.errors import PhotodeskError


class StoryError(PhotodeskError):
    pass


class UnknownStory(StoryError, names.UnknownName):
    pass


def find(db: Database, name: str) -> int | None:
    """The story of this name (any case, any dash, any spacing), or of this id."""
    found = _value(db, "SELECT id FROM stories WHERE name = ? COLLATE NOCASE", [name.strip()])
    if found is None:
        found = names.choose(name, _names(db), "story", partial=False)
    number = names.as_id(name)
    if found is None and number is not None:
        found = _value(db, "SELECT id FROM stories WHERE id = ?", [number])
    return found


def lookup(db: Database, name: str) -> int | None:
    """As `find`, and also the one story whose name starts with (or holds) the words typed."""
    found = find(db, name)
    return found if found is not None else names.choose(name, _names(db), "story")


def _names(db: Database) -> list[tuple[int, str]]:
    return [(r["id"], r["name"]) for r in _rows(db, "SELECT id, name FROM stories")]


def require(db: Database, name: str) -> int:
    """The story a user named (see `lookup`); an unknown name is a usage mistake."""
    found = lookup(db, name)
    if found is None:
        raise UnknownStory(f"no story named {name!r} (see: photodesk story list)")
    return found


def find_or_create(db: Database, name: str, job_id: str | None = None) -> int:
    with write(db):
        return _find_or_create(db, name, job_id)


def _find_or_create(db: Database, name: str, job_id: str | None = None) -> int:
    existing = find(db, name)
    if existing is not None:
        return existing
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return _insert(db, "stories", {"name": name.strip(), "job_id": job_id, "created_at": now})


def create(db: Database, name: str, job_id: str | None = None) -> int:
    if not name.strip():
        raise StoryError("a story needs a name")
    if find(db, name) is not None:
        raise StoryError(f"a story named {name!r} exists already")
    with write(db):
        return _find_or_create(db, name, job_id)


def _check_photos(db: Database, photo_ids: list[int]) -> None:
    missing = [i for i in photo_ids if _value(db, "SELECT 1 FROM photos WHERE id = ?", [i]) is None]
    if missing:
        raise StoryError(f"no photo with id {', '.join(map(str, missing))}")


def append(db: Database, story_id: int, photo_ids: Iterable[int]) -> int:
    """Add photos at the end of the story, keeping the order given; returns how many were new."""
    with write(db):
        return _append(db, story_id, photo_ids)


def _append(db: Database, story_id: int, photo_ids: Iterable[int]) -> int:
    position = _value(
        db, "SELECT COALESCE(MAX(position), 0) FROM story_photos WHERE story_id = ?", [story_id]
    )
    added = 0
    for photo_id in photo_ids:
        position += 1
        cur = db.execute(
            "INSERT OR IGNORE INTO story_photos (story_id, photo_id, position) VALUES (?, ?, ?)",
            [story_id, photo_id, position],
        )
        added += cur.rowcount
    return added


def _snapshot(story_id: int, order: list[int]) -> str:
    return json.dumps({"story": story_id, "order": order})


def _record(db: Database, story_id: int, before: list[int], what: str, user: str | None) -> None:
    """A change of membership or order is a change set too, so undo and redo reach it.

    Kept as the story's whole order before and after: undoing restores the
    order exactly, positions included.
    """
    after = photo_order(db, story_id)
    if after == before:
        return
    name = _value(db, "SELECT name FROM stories WHERE id = ?", [story_id])
    change_set = history._open_change_set(db, history.current_user(user), f"{what}: {name}")
    history._record(
        db, change_set, None, "story", None, _snapshot(story_id, before), _snapshot(story_id, after)
    )


def _restore(db: Database, snapshot: str) -> None:
    """Put a story's photos back in the order a history entry kept (photos since deleted skip)."""
    found = json.loads(snapshot)
    story_id, order = int(found["story"]), [int(p) for p in found["order"]]
    db.execute("DELETE FROM story_photos WHERE story_id = ?", [story_id])
    present = [p for p in order if _value(db, "SELECT 1 FROM photos WHERE id = ?", [p])]
    _append(db, story_id, present)


def add(db: Database, story: str, photo_ids: list[int], user: str | None = None) -> int:
    story_id = require(db, story)
    with write(db):
        _check_photos(db, photo_ids)
        before = photo_order(db, story_id)
        added = _append(db, story_id, photo_ids)
        _record(db, story_id, before, "story add", user)
        return added


def remove(db: Database, story: str, photo_ids: list[int], user: str | None = None) -> int:
    story_id = require(db, story)
    with write(db):
        before = photo_order(db, story_id)
        members = set(before)
        strangers = [p for p in photo_ids if p not in members]
        if strangers:
            raise StoryError(f"not in the story: {', '.join(map(str, strangers[:5]))}")
        removed = sum(
            db.execute(
                "DELETE FROM story_photos WHERE story_id = ? AND photo_id = ?", [story_id, p]
            ).rowcount
            for p in photo_ids
        )
        _renumber(db, story_id, photo_order(db, story_id))
        _record(db, story_id, before, "story remove", user)
    return removed


def photo_order(db: Database, story_id: int) -> list[int]:
    rows = _rows(
        db,
        "SELECT photo_id FROM story_photos WHERE story_id = ? ORDER BY position, photo_id",
        [story_id],
    )
    return [r["photo_id"] for r in rows]


def _renumber(db: Database, story_id: int, order: list[int]) -> None:
    for position, photo_id in enumerate(order, start=1):
        db.execute(
            "UPDATE story_photos SET position = ? WHERE story_id = ? AND photo_id = ?",
            [position, story_id, photo_id],
        )


def order(db: Database, story: str, photo_ids: list[int], user: str | None = None) -> list[int]:
    """Put these photos first, in this order; the rest keep their order after them."""
    story_id = require(db, story)
    with write(db):
        current = photo_order(db, story_id)
        members, named = set(current), set(photo_ids)
        strangers = [p for p in photo_ids if p not in members]
        if strangers:
            raise StoryError(f"not in the story: {', '.join(map(str, strangers[:5]))}")
        if len(named) != len(photo_ids):
            raise StoryError("a photo is named twice")
        new_order = list(photo_ids) + [p for p in current if p not in named]
        _renumber(db, story_id, new_order)
        _record(db, story_id, current, "story order", user)
    return new_order


def listing(db: Database) -> list[dict[str, Any]]:
    return _rows(
        db,
        "SELECT s.id, s.name, s.job_id, s.created_at, "
        "(SELECT count(*) FROM story_photos sp WHERE sp.story_id = s.id) AS photos "
        "FROM stories s ORDER BY s.created_at, s.id",
    )


def get(db: Database, story_id: int) -> dict[str, Any]:
    found = _one(db, "SELECT * FROM stories WHERE id = ?", [story_id])
    if found is None:
        raise StoryError(f"no story with id {story_id}")
    return found
