"""Every change of a caption field, grouped in change sets so a batch edit undoes as one."""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from photodesk.catalog import places
from photodesk.catalog.sql import _insert, _rows, _value
from photodesk.fields import BY_NAME


def current_user(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def _open_change_set(db: Database, user: str, summary: str, undoes: int | None = None) -> int:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return _insert(
        db, "change_sets", {"at": now, "user": user, "summary": summary, "undoes": undoes}
    )


def _record(
    db: Database,
    change_set: int,
    photo_id: int | None,  # None: a change to the gazetteer itself (a merged-away place)
    field: str,
    lang: str | None,
    old: str | None,
    new: str | None,
) -> None:
    _insert(
        db,
        "history",
        {
            "change_set": change_set,
            "photo_id": photo_id,
            "field": field,
            "lang": lang,
            "old": old,
            "new": new,
        },
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
    rows = _rows(
        db,
        "SELECT h.change_set, c.at, c.user, h.photo_id, h.field, h.lang, h.old, h.new, "
        "(SELECT u.id FROM change_sets u JOIN history hu ON hu.change_set = u.id "
        " WHERE u.undoes = c.id AND u.undone_by IS NULL AND hu.photo_id = h.photo_id "
        " LIMIT 1) AS undone_by, c.undoes "
        "FROM history h JOIN change_sets c ON c.id = h.change_set "
        "WHERE h.photo_id = ? ORDER BY h.change_set, h.id",
        [photo_id],
    )
    return [Change(**r) for r in rows]


def display_value(db: Database, field: str, value: str | None) -> str:
    """A history value as an editor reads it: a date's phrase, a place's name, ∅ for nothing."""
    if value is None:
        return "∅"
    if field == "story":  # a story's whole order, kept for undo
        order = json.loads(value).get("order", [])
        shown = ", ".join(map(str, order[:12])) + ("…" if len(order) > 12 else "")
        return f"photos {shown}" if order else "no photos"
    kind = BY_NAME[field].type if field in BY_NAME else "text"
    if kind == "date":
        return json.loads(value).get("taken_text") or "?"
    if kind == "place":
        place = places.get(db, int(value))
        return place["name"] if place else f"place {value}"
    return value


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
            "ON hu.change_set = u.id WHERE u.undoes = c.id AND u.undone_by IS NULL "
            "AND hu.photo_id = ?) "
            "ORDER BY c.id DESC LIMIT 1"
        )
        params = [photo_id, photo_id]
    return _value(db, sql, params)


def recent(db: Database, limit: int = 20) -> list[dict[str, Any]]:
    """The newest change sets archive-wide: who, when, what, how many photos and fields."""
    return _rows(
        db,
        "SELECT c.id, c.at, c.user, c.summary, c.undoes, c.undone_by, "
        "count(DISTINCT h.photo_id) AS photos, count(h.id) AS fields "
        "FROM change_sets c LEFT JOIN history h ON h.change_set = c.id "
        "GROUP BY c.id ORDER BY c.id DESC LIMIT ?",
        [limit],
    )


def last_redoable(db: Database) -> int | None:
    """The undo a redo would take back: the newest undo still standing, with nothing but
    other undos and redos made after it (a new edit ends what can be redone)."""
    for row in _rows(
        db,
        "SELECT c.id, c.undoes, c.undone_by, u.undoes AS undid_an_undo "
        "FROM change_sets c LEFT JOIN change_sets u ON u.id = c.undoes "
        "WHERE EXISTS (SELECT 1 FROM history h WHERE h.change_set = c.id) "
        "ORDER BY c.id DESC",
    ):
        if row["undoes"] is None:
            return None  # a new edit: what came before it cannot be redone
        if row["undid_an_undo"] is None and row["undone_by"] is None:
            return int(row["id"])  # an undo still standing
    return None


def entries(db: Database, change_set: int, photo_id: int | None = None) -> list[dict[str, Any]]:
    sql = "SELECT photo_id, field, lang, old, new FROM history WHERE change_set = ?"
    params: list[Any] = [change_set]
    if photo_id is not None:
        sql += " AND photo_id = ?"
        params.append(photo_id)
    return _rows(db, sql + " ORDER BY id DESC", params)
