"""Every change of a caption field, grouped in change sets so a batch edit undoes as one."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database


def current_user(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def open_change_set(db: Database, user: str, summary: str, undoes: int | None = None) -> int:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return (
        db["change_sets"]
        .insert(  # type: ignore[return-value]
            {"at": now, "user": user, "summary": summary, "undoes": undoes}
        )
        .last_pk
    )


def record(
    db: Database,
    change_set: int,
    photo_id: int | None,  # None: a change to the gazetteer itself (a merged-away place)
    field: str,
    lang: str | None,
    old: str | None,
    new: str | None,
) -> None:
    db["history"].insert(
        {
            "change_set": change_set,
            "photo_id": photo_id,
            "field": field,
            "lang": lang,
            "old": old,
            "new": new,
        }
    )


@dataclass
class Change:
    change_set: int
    at: str
    user: str
    photo_id: int
    field: str
    lang: str | None
    old: str | None
    new: str | None
    undone_by: int | None
    undoes: int | None


def for_photo(db: Database, photo_id: int) -> list[Change]:
    # undone_by: the undo that reverted this photo's part, even when the rest of
    # a batch still stands.
    rows = db.execute(
        "SELECT h.change_set, c.at, c.user, h.photo_id, h.field, h.lang, h.old, h.new, "
        "(SELECT u.id FROM change_sets u JOIN history hu ON hu.change_set = u.id "
        " WHERE u.undoes = c.id AND hu.photo_id = h.photo_id LIMIT 1), c.undoes "
        "FROM history h JOIN change_sets c ON c.id = h.change_set "
        "WHERE h.photo_id = ? ORDER BY h.change_set, h.id",
        [photo_id],
    ).fetchall()
    return [Change(*r) for r in rows]


def last_undoable(db: Database, photo_id: int | None = None) -> int | None:
    """The newest change set not yet undone and not itself an undo, so undo walks back.

    With `photo_id`: the newest one touching that photo whose part for it is not undone.
    """
    if photo_id is None:
        sql = (
            "SELECT c.id FROM change_sets c WHERE c.undone_by IS NULL AND c.undoes IS NULL "
            "AND EXISTS (SELECT 1 FROM history h WHERE h.change_set = c.id) "
            "ORDER BY c.id DESC LIMIT 1"
        )
        params: list[Any] = []
    else:
        sql = (
            "SELECT c.id FROM change_sets c WHERE c.undone_by IS NULL AND c.undoes IS NULL "
            "AND EXISTS (SELECT 1 FROM history h WHERE h.change_set = c.id AND h.photo_id = ?) "
            "AND NOT EXISTS (SELECT 1 FROM change_sets u JOIN history hu "
            "ON hu.change_set = u.id WHERE u.undoes = c.id AND hu.photo_id = ?) "
            "ORDER BY c.id DESC LIMIT 1"
        )
        params = [photo_id, photo_id]
    row = db.execute(sql, params).fetchone()
    return row[0] if row else None


def entries(db: Database, change_set: int, photo_id: int | None = None) -> list[dict[str, Any]]:
    sql = "SELECT photo_id, field, lang, old, new FROM history WHERE change_set = ?"
    params: list[Any] = [change_set]
    if photo_id is not None:
        sql += " AND photo_id = ?"
        params.append(photo_id)
    cursor = db.execute(sql + " ORDER BY id DESC", params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
