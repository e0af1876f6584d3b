"""Before/after pairs as rows: which two photos, the subject, a note, edited captions.

The rules (order, span, composed caption) live in `photodesk.pairs`; this
module only stores and reads.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from photodesk.catalog.sql import _insert, _one, _rows, _update, _value
from photodesk.catalog.tx import write
from photodesk.errors import PhotodeskError


class PairError(PhotodeskError):
    pass


_PAIR_SQL = """
SELECT pr.id, pr.before_id, pr.after_id, pr.subject, pr.note, pr.created_at,
       b.file_name AS before_file, a.file_name AS after_file,
       b.taken_text AS before_date, a.taken_text AS after_date
FROM pairs pr
JOIN photos b ON b.id = pr.before_id
JOIN photos a ON a.id = pr.after_id
"""


def find(db: Database, one: int, other: int) -> int | None:
    """The pair of these two photos, in either order."""
    return _value(
        db,
        "SELECT id FROM pairs WHERE (before_id = ? AND after_id = ?) "
        "OR (before_id = ? AND after_id = ?)",
        [one, other, other, one],
    )


def create(
    db: Database, before_id: int, after_id: int, subject: str | None, note: str | None
) -> int:
    with write(db):
        if before_id == after_id:
            raise PairError("a pair needs two different photos")
        for photo_id in (before_id, after_id):
            if _value(db, "SELECT 1 FROM photos WHERE id = ?", [photo_id]) is None:
                raise PairError(f"no photo with id {photo_id}")
        existing = find(db, before_id, after_id)
        if existing is not None:
            raise PairError(f"photos {before_id} and {after_id} are already pair {existing}")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        row = {"before_id": before_id, "after_id": after_id, "subject": subject, "note": note}
        return _insert(db, "pairs", row | {"created_at": now})


def get(db: Database, pair_id: int) -> dict[str, Any] | None:
    return _one(db, _PAIR_SQL + " WHERE pr.id = ?", [pair_id])


def require(db: Database, pair_id: int) -> dict[str, Any]:
    found = get(db, pair_id)
    if found is None:
        raise PairError(f"no pair with id {pair_id} (see: photodesk pair list)")
    return found


def listing(db: Database, story_id: int | None = None) -> list[dict[str, Any]]:
    """Every pair (or those with a photo in the story), newest first."""
    if story_id is None:
        return _rows(db, _PAIR_SQL + " ORDER BY pr.id DESC")
    return _rows(
        db,
        _PAIR_SQL + " WHERE EXISTS (SELECT 1 FROM story_photos sp WHERE sp.story_id = ? "
        "AND sp.photo_id IN (pr.before_id, pr.after_id)) ORDER BY pr.id DESC",
        [story_id],
    )


def paired(db: Database) -> set[frozenset[int]]:
    return {
        frozenset((r["before_id"], r["after_id"]))
        for r in _rows(db, "SELECT before_id, after_id FROM pairs")
    }


def update(db: Database, pair_id: int, values: dict[str, str | None]) -> None:
    """Change the subject and/or note ("" clears)."""
    clean = {k: (v or None) for k, v in values.items() if k in ("subject", "note")}
    with write(db):
        require(db, pair_id)
        _update(db, "pairs", pair_id, clean)


def swap(db: Database, pair_id: int) -> None:
    with write(db):
        pair = require(db, pair_id)
        _update(
            db, "pairs", pair_id, {"before_id": pair["after_id"], "after_id": pair["before_id"]}
        )


def delete(db: Database, pair_id: int) -> bool:
    with write(db):
        # Explicit as well as by cascade: not every connection enforces foreign keys.
        db.execute("DELETE FROM pair_captions WHERE pair_id = ?", [pair_id])
        return db.execute("DELETE FROM pairs WHERE id = ?", [pair_id]).rowcount > 0


def captions(db: Database, pair_id: int) -> dict[str, str]:
    rows = _rows(
        db, "SELECT lang, text FROM pair_captions WHERE pair_id = ? ORDER BY lang", [pair_id]
    )
    return {r["lang"]: r["text"] for r in rows}


def set_caption(db: Database, pair_id: int, lang: str, text: str | None) -> None:
    """The desk's own pair caption in one language; empty goes back to the composed one."""
    with write(db):
        require(db, pair_id)
        if not text:
            db.execute("DELETE FROM pair_captions WHERE pair_id = ? AND lang = ?", [pair_id, lang])
            return
        db.execute(
            "INSERT INTO pair_captions (pair_id, lang, text) VALUES (?, ?, ?) "
            "ON CONFLICT (pair_id, lang) DO UPDATE SET text = excluded.text",
            [pair_id, lang, text],
        )


def candidates(db: Database) -> list[dict[str, Any]]:
    """Dated photographs with what suggestions weigh: shown place, camera position, hash."""
    return _rows(
        db,
        "SELECT p.id, p.file_name, p.taken_start, p.taken_end, p.taken_precision, "
        "p.taken_text, p.taken_offset, p.shown_place_id, sp.name AS shown_place, "
        "p.gps_lat, p.gps_lon, p.phash FROM photos p "
        "LEFT JOIN places sp ON sp.id = p.shown_place_id "
        # Maps and graphics are made, not rephotographed.
        "WHERE p.kind = 'photo' AND p.taken_start IS NOT NULL AND p.taken_end IS NOT NULL",
    )


def missing_hashes(db: Database) -> list[dict[str, Any]]:
    """Photos catalogued before perceptual hashes were kept, with their thumbnails."""
    return _rows(
        db, "SELECT id, thumb_path FROM photos WHERE phash IS NULL AND thumb_path IS NOT NULL"
    )


def set_hashes(db: Database, hashes: dict[int, str]) -> None:
    with write(db):
        for photo_id, value in hashes.items():
            _update(db, "photos", photo_id, {"phash": value})
