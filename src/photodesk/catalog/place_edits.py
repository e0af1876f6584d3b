"""Changing the gazetteer where photos refer to it: editing a place, merging two.

Kept apart from `places` because both touch photos, history and the search
index, which themselves read places.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from photodesk.catalog import history, places, search
from photodesk.catalog.sql import _one, _update
from photodesk.catalog.tx import write


def edit(db: Database, name_or_id: str | int, new_name: str | None = None, **details: Any) -> int:
    """Change a place's details ("" clears one); returns the ids of photos that refer to it."""
    place_id = places.require(db, name_or_id)
    values = places.check_details(
        {
            k: (v if v != "" else None)
            for k, v in details.items()
            if k in places.DETAILS and v is not None
        }
    )
    if new_name is not None:
        new_name = new_name.strip()
        other = places.find(db, new_name)
        if not new_name or (other is not None and other != place_id):
            raise places.PlaceError(f"cannot rename to {new_name!r}: empty or already taken")
        values["name"] = new_name
    with write(db):
        current = places.get(db, place_id) or {}
        places.check_position(
            values.get("latitude", current.get("latitude")),
            values.get("longitude", current.get("longitude")),
        )
        _update(db, "places", place_id, values)
        search._reindex(db, places.photos_at(db, place_id))
    return place_id


def merge(db: Database, source: str | int, target: str | int, user: str = "unknown") -> int:
    """Fold `source` into `target`: photos that referred to it now refer to target.

    Recorded as one change set (each photo's place change, then the removed
    place itself), so `undo` brings the place and its photos back. Past
    history is never rewritten.
    """
    source_id, target_id = places.require(db, source), places.require(db, target)
    if source_id == target_id:
        raise places.PlaceError("a place cannot be merged into itself")
    with write(db):
        row, target_row = places.get(db, source_id) or {}, places.get(db, target_id) or {}
        change_set = history._open_change_set(
            db, user, f"merge place {row['name']!r} into {target_row['name']!r}"
        )
        moved = places.photos_at(db, source_id)
        for photo_id in moved:
            photo = _one(db, "SELECT * FROM photos WHERE id = ?", [photo_id]) or {}
            for name in places.REFERENCES:
                column = f"{name}_id"
                if photo[column] == source_id:
                    _update(db, "photos", photo_id, {column: target_id})
                    history._record(
                        db, change_set, photo_id, name, None, str(source_id), str(target_id)
                    )
        history._record(
            db, change_set, None, "place", None, json.dumps(row, ensure_ascii=False), None
        )
        db.execute("DELETE FROM places WHERE id = ?", [source_id])
        search._reindex(db, moved)
    return len(moved)
