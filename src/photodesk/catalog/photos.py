"""Photo rows: adding imported photos, reading them back, listing with filters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from photodesk.catalog.schema import PHOTO_COLUMNS
from photodesk.fields import PER_LANGUAGE

# The public shape of a photo in `list --json` / `show --json`; names are an interface.
SUMMARY_SQL = """
SELECT p.id, p.sha256, p.file_name, p.kind, p.format, p.width, p.height,
       p.taken_start, p.taken_end, p.taken_precision, p.taken_text, p.taken_source,
       p.gps_lat, p.gps_lon, p.camera_make, p.camera_model,
       c.description AS caption, c.headline, p.creator, p.credit, p.status,
       cp.name AS created_place, sp.name AS shown_place
FROM photos p
LEFT JOIN captions c ON c.photo_id = p.id AND c.lang = :lang
LEFT JOIN places cp ON cp.id = p.created_place_id
LEFT JOIN places sp ON sp.id = p.shown_place_id
"""


def sha_exists(db: Database, sha256: str) -> int | None:
    row = db.execute("SELECT id FROM photos WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row else None


def insert(db: Database, row: dict[str, Any]) -> int:
    """Insert one photo row; the caller holds the transaction."""
    clean = {k: v for k, v in row.items() if k in PHOTO_COLUMNS and k != "id"}
    if isinstance(clean.get("keywords"), list):
        clean["keywords"] = json.dumps(clean["keywords"], ensure_ascii=False)
    return db["photos"].insert(clean).last_pk  # type: ignore[return-value]


def update_fields(db: Database, photo_id: int, values: dict[str, Any]) -> None:
    clean = {k: v for k, v in values.items() if k in PHOTO_COLUMNS and k != "id"}
    if clean:
        db["photos"].update(photo_id, clean)


def set_caption(db: Database, photo_id: int, lang: str, **fields: str | None) -> None:
    values = {k: v for k, v in fields.items() if k in PER_LANGUAGE}
    db["captions"].upsert({"photo_id": photo_id, "lang": lang, **values}, pk=("photo_id", "lang"))


def captions(db: Database, photo_id: int) -> dict[str, dict[str, str | None]]:
    rows = db.execute(
        "SELECT lang, headline, title, description FROM captions WHERE photo_id = ? ORDER BY lang",
        [photo_id],
    ).fetchall()
    return {lang: {"headline": h, "title": t, "description": d} for lang, h, t, d in rows}


def _rows(db: Database, sql: str, params: dict[str, Any] | list[Any]) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def get(db: Database, photo_id: int, lang: str) -> dict[str, Any] | None:
    found = _rows(db, SUMMARY_SQL + " WHERE p.id = :id", {"lang": lang, "id": photo_id})
    if not found:
        return None
    photo = found[0]
    full = _rows(db, "SELECT * FROM photos WHERE id = ?", [photo_id])[0]
    for key, value in full.items():
        photo.setdefault(key, value)
    photo["keywords"] = json.loads(full["keywords"]) if full["keywords"] else []
    photo["captions"] = captions(db, photo_id)
    photo["stories"] = [
        r[0]
        for r in db.execute(
            "SELECT s.name FROM story_photos sp JOIN stories s ON s.id = sp.story_id "
            "WHERE sp.photo_id = ? ORDER BY s.name",
            [photo_id],
        ).fetchall()
    ]
    photo["source_paths"] = [
        r[0]
        for r in db.execute(
            "SELECT path FROM source_files WHERE photo_id = ? ORDER BY path", [photo_id]
        ).fetchall()
    ]
    return photo


@dataclass
class PhotoFilter:
    """Which photos: the filters list and search share."""

    story_id: int | None = None
    since: str | None = None  # ISO; matches photos whose date range ends on or after it
    until: str | None = None  # ISO; matches photos whose date range starts on or before it
    kind: str | None = None
    uncaptioned_lang: str | None = None  # only photos without a caption in this language
    limit: int | None = None


def conditions(f: PhotoFilter) -> tuple[list[str], dict[str, Any]]:
    """SQL conditions on photos aliased `p`, and their parameters."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if f.story_id is not None:
        where.append(
            "EXISTS (SELECT 1 FROM story_photos sp WHERE sp.photo_id = p.id "
            "AND sp.story_id = :story)"
        )
        params["story"] = f.story_id
    # Ranges overlap when each starts before the other ends; undated photos never match.
    if f.since:
        where.append("p.taken_end >= :since")
        params["since"] = f.since
    if f.until:
        where.append("p.taken_start <= :until")
        params["until"] = f.until
    if f.kind:
        where.append("p.kind = :kind")
        params["kind"] = f.kind
    if f.uncaptioned_lang:
        where.append(
            "NOT EXISTS (SELECT 1 FROM captions c2 WHERE c2.photo_id = p.id "
            "AND c2.lang = :ulang AND trim(coalesce(c2.description, '')) != '')"
        )
        params["ulang"] = f.uncaptioned_lang
    return where, params


def listing(db: Database, lang: str, f: PhotoFilter) -> list[dict[str, Any]]:
    """Photos by date (ranges by their start, undated last), or in story order."""
    where, params = conditions(f)
    params["lang"] = lang
    sql = SUMMARY_SQL
    order = "p.taken_start IS NULL, p.taken_start, p.id"
    if f.story_id is not None:
        sql += " JOIN story_photos stp ON stp.photo_id = p.id AND stp.story_id = :story"
        order = "stp.position, p.id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order}"
    if f.limit:
        sql += " LIMIT :limit"
        params["limit"] = f.limit
    return _rows(db, sql, params)


def summaries(db: Database, photo_ids: list[int], lang: str) -> list[dict[str, Any]]:
    """Summary rows for these ids, in the order given (search results keep their ranking)."""
    if not photo_ids:
        return []
    marks = ",".join("?" * len(photo_ids))
    sql = SUMMARY_SQL.replace(":lang", "?") + f" WHERE p.id IN ({marks})"
    rows = {r["id"]: r for r in _rows(db, sql, [lang, *photo_ids])}
    return [rows[i] for i in photo_ids if i in rows]
