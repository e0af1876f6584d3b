"""Photo rows: adding imported photos, reading them back, listing with filters."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from photodesk.catalog import places
from photodesk.catalog.sql import _column, _insert, _one, _rows, _update, _value
from photodesk.catalog.tx import write
from photodesk.dates import DATE_COLUMNS, TakenDate, format_date, from_columns
from photodesk.fields import BY_NAME, PER_LANGUAGE, Field, where
from photodesk.files import source_path
from photodesk.text import display_path

_LISTS = tuple(f.name for f in where(type="list"))

# The camera's date as EXIF gave it when the file was read, kept beside the
# desk's taken_* columns: the desk's date is an assertion it may change, the
# camera's a fact it may not (only `add` writes these; `update` and every edit
# leave them alone).
CAMERA_DATE_COLUMNS = {c: f"camera_{c}" for c in DATE_COLUMNS if c != "taken_source"}
# Both dates known, and the desk's span leaves out the camera's moment.
_DATE_CONFLICT_SQL = (
    "p.camera_taken_start IS NOT NULL AND p.taken_start IS NOT NULL "
    "AND (p.taken_end < p.camera_taken_start OR p.taken_start > p.camera_taken_end)"
)

# The public shape of a photo in `list --json` / `show --json`; names are an interface.
SUMMARY_SQL = """
SELECT p.id, p.sha256, p.file_name, p.kind, p.format, p.width, p.height,
       p.taken_start, p.taken_end, p.taken_precision, p.taken_text, p.taken_source,
       p.camera_taken_start,
       p.gps_lat, p.gps_lon, p.camera_make, p.camera_model,
       c.description AS caption, c.headline, p.creator, p.credit, p.status,
       cp.name AS created_place, sp.name AS shown_place
FROM photos p
LEFT JOIN captions c ON c.photo_id = p.id AND c.lang = :lang
LEFT JOIN places cp ON cp.id = p.created_place_id
LEFT JOIN places sp ON sp.id = p.shown_place_id
"""


def sha_exists(db: Database, sha256: str) -> int | None:
    value = _value(db, "SELECT id FROM photos WHERE sha256 = ?", [sha256])
    return int(value) if value is not None else None


def exists(db: Database, photo_id: int) -> bool:
    return _value(db, "SELECT 1 FROM photos WHERE id = ?", [photo_id]) is not None


def row(db: Database, photo_id: int) -> dict[str, Any] | None:
    """The photo's own columns as stored (keywords as their JSON text)."""
    return _one(db, "SELECT * FROM photos WHERE id = ?", [photo_id])


def _columns(db: Database) -> set[str]:
    return set(_column(db, "SELECT name FROM pragma_table_info('photos')"))


def _clean_row(db: Database, values: dict[str, Any]) -> dict[str, Any]:
    known = _columns(db)
    clean = {k: v for k, v in values.items() if k in known and k != "id"}
    for name in _LISTS:  # stored as JSON text; an empty list is no value
        if isinstance(clean.get(name), list):
            clean[name] = json.dumps(clean[name], ensure_ascii=False) if clean[name] else None
    return clean


def _insert_photo(db: Database, values: dict[str, Any]) -> int:
    return _insert(db, "photos", _clean_row(db, values))


def _set_caption(db: Database, photo_id: int, lang: str, values: dict[str, str | None]) -> None:
    names = [k for k in values if k in PER_LANGUAGE]
    if not names:
        return
    db.execute(
        f"INSERT INTO captions (photo_id, lang, {', '.join(names)}) "
        f"VALUES (?, ?{', ?' * len(names)}) ON CONFLICT (photo_id, lang) DO UPDATE SET "
        + ", ".join(f"{k} = excluded.{k}" for k in names),
        [photo_id, lang, *(values[k] for k in names)],
    )


def add(
    db: Database,
    values: dict[str, Any],
    captions: dict[str, dict[str, str]] | None = None,
    shown_place: dict[str, str] | None = None,
) -> tuple[int, bool]:
    """Catalogue a photo (its row, captions and the place its metadata names).

    For the importer: no history, and the caller brings the search index in
    step (`search.reindex`) once its notes are applied too.

    Returns (id, added): the same bytes already catalogued, perhaps by another
    import a moment ago, give that photo's id and False.
    """
    with write(db):
        existing = sha_exists(db, values["sha256"])
        if existing is not None:
            return existing, False
        try:
            photo_id = _insert_photo(db, values)
        except sqlite3.IntegrityError:
            # The same bytes, stored by another import since the check above.
            existing = sha_exists(db, values["sha256"])
            if existing is None:
                raise
            return existing, False
        for lang, texts in (captions or {}).items():
            _set_caption(db, photo_id, lang, dict(texts))
        if shown_place:
            name = places.name_for(shown_place)
            if name:
                place_id, _ = places._find_or_create(db, name, **shown_place)
                _update(db, "photos", photo_id, {"shown_place_id": place_id})
        return photo_id, True


def update(db: Database, photo_id: int, values: dict[str, Any]) -> None:
    """Write photo columns without history or reindexing (import only; editors use edits).

    The camera's date is left as `add` stored it.
    """
    camera = set(CAMERA_DATE_COLUMNS.values())
    clean = {k: v for k, v in _clean_row(db, values).items() if k not in camera}
    if clean:
        with write(db):
            _update(db, "photos", photo_id, clean)


def set_caption(db: Database, photo_id: int, lang: str, values: dict[str, str | None]) -> None:
    """Write caption fields of one language without history or reindexing (import only)."""
    with write(db):
        _set_caption(db, photo_id, lang, values)


def camera_date(taken: dict[str, Any]) -> dict[str, Any]:
    """The camera_taken_* columns `add` keeps for a date EXIF gave (as taken_* columns)."""
    return {camera: taken.get(column) for column, camera in CAMERA_DATE_COLUMNS.items()}


@dataclass(frozen=True)
class DateCheck:
    """The camera's date against the desk's, for a photo whose camera gave one."""

    camera: TakenDate
    desk: TakenDate | None

    @property
    def differs(self) -> bool:
        """Whether the desk's date is anything but the camera's own (a range that holds it too)."""
        desk = self.desk
        return desk is None or (desk.start, desk.end) != (self.camera.start, self.camera.end)

    @property
    def conflict(self) -> bool:
        """Whether the desk's date leaves out the moment the camera recorded."""
        return self.desk is not None and not self.desk.overlaps(self.camera.start, self.camera.end)

    def describe(self) -> str:
        """Both dates in a line, as a warning or `show` names them (our own wording only)."""
        desk = format_date(self.desk) if self.desk else "no date"
        verb = "disagrees with" if self.conflict else "differs from"
        return f"the desk's date, {desk}, {verb} the camera's, {format_date(self.camera)}"


def date_check(photo: dict[str, Any]) -> DateCheck | None:
    """The camera's date beside the desk's, from a photo row; None when the camera gave none."""
    camera = from_columns({c: photo.get(cam) for c, cam in CAMERA_DATE_COLUMNS.items()})
    return DateCheck(camera, from_columns(photo)) if camera else None


def delete(db: Database, photo_id: int) -> bool:
    """Take a photo out of the catalog, with everything that refers to it.

    Its captions, story places, source paths, search documents, history and
    pairs (their captions by cascade) go with it, so no pair is ever left with
    one photo. The archived original and thumbnail stay on disk.
    """
    with write(db):
        if not exists(db, photo_id):
            return False
        for table in ("captions", "story_photos", "source_files", "search_docs", "history"):
            db.execute(f"DELETE FROM {table} WHERE photo_id = ?", [photo_id])
        # The cascade does this too, but only on connections that enforce foreign keys.
        mine = "SELECT id FROM pairs WHERE before_id = ? OR after_id = ?"
        db.execute(f"DELETE FROM pair_captions WHERE pair_id IN ({mine})", [photo_id, photo_id])
        db.execute("DELETE FROM pairs WHERE before_id = ? OR after_id = ?", [photo_id, photo_id])
        db.execute("DELETE FROM photos WHERE id = ?", [photo_id])
        return True


def captions(db: Database, photo_id: int) -> dict[str, dict[str, str | None]]:
    found = _rows(
        db,
        f"SELECT lang, {', '.join(PER_LANGUAGE)} FROM captions WHERE photo_id = ? ORDER BY lang",
        [photo_id],
    )
    return {r.pop("lang"): r for r in found}


def get(db: Database, photo_id: int, lang: str) -> dict[str, Any] | None:
    found = _rows(db, SUMMARY_SQL + " WHERE p.id = :id", {"lang": lang, "id": photo_id})
    if not found:
        return None
    photo = found[0]
    full = row(db, photo_id) or {}
    for key, value in full.items():
        photo.setdefault(key, value)
    for name in _LISTS:
        photo[name] = json.loads(full[name]) if full.get(name) else []
    photo["captions"] = captions(db, photo_id)
    check = date_check(full)
    photo["camera_date"] = format_date(check.camera) if check else None
    photo["date_differs"] = bool(check and check.differs)
    photo["date_conflict"] = bool(check and check.conflict)
    photo["stories"] = _column(
        db,
        "SELECT s.name FROM story_photos sp JOIN stories s ON s.id = sp.story_id "
        "WHERE sp.photo_id = ? ORDER BY s.name",
        [photo_id],
    )
    photo["source_paths"] = [
        display_path(source_path(key))
        for key in _column(
            db, "SELECT path FROM source_files WHERE photo_id = ? ORDER BY path", [photo_id]
        )
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
    date_conflicts: bool = False  # only photos whose desk's date leaves out the camera's
    limit: int | None = None
    status: str | None = None
    # Only photos with nothing in any of these fields (names from fields.py); the
    # per-language ones in the language missing_in.
    missing: tuple[str, ...] = ()
    missing_in: str | None = None
    offset: int = 0


def _conditions(f: PhotoFilter) -> tuple[list[str], dict[str, Any]]:
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
    if f.date_conflicts:
        where.append(_DATE_CONFLICT_SQL)
    if f.status:
        where.append("p.status = :status")
        params["status"] = f.status
    for name in f.missing:
        where.append(_missing(BY_NAME[name]))
        params["mlang"] = f.missing_in
    return where, params


def _missing(field: Field) -> str:
    """The condition that a photo has no value in `field`; the field table says where it lives."""
    if field.scope == "language":
        return (
            "NOT EXISTS (SELECT 1 FROM captions cm WHERE cm.photo_id = p.id AND cm.lang = :mlang "
            f"AND trim(coalesce(cm.{field.name}, '')) != '')"
        )
    if field.type == "date":
        return "p.taken_start IS NULL"
    if field.type == "place":
        return f"p.{field.name}_id IS NULL"
    return f"trim(coalesce(p.{field.name}, '')) IN ('', '[]')"


def count(db: Database, f: PhotoFilter) -> int:
    """How many photos the filter lets through, whatever its limit."""
    where, params = _conditions(f)
    sql = "SELECT count(*) FROM photos p" + (" WHERE " + " AND ".join(where) if where else "")
    return int(_value(db, sql, params) or 0)


def listing(db: Database, lang: str, f: PhotoFilter) -> list[dict[str, Any]]:
    """Photos by date (ranges by their start, undated last), or in story order."""
    where, params = _conditions(f)
    params["lang"] = lang
    sql = SUMMARY_SQL
    order = "p.taken_start IS NULL, p.taken_start, p.id"
    if f.story_id is not None:
        sql += " JOIN story_photos stp ON stp.photo_id = p.id AND stp.story_id = :story"
        order = "stp.position, p.id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order}"
    if f.limit or f.offset:
        sql += " LIMIT :limit OFFSET :offset"
        params |= {"limit": f.limit or -1, "offset": f.offset}
    return _rows(db, sql, params)


def summaries(db: Database, photo_ids: list[int], lang: str) -> list[dict[str, Any]]:
    """Summary rows for these ids, in the order given (search results keep their ranking)."""
    if not photo_ids:
        return []
    marks = ",".join("?" * len(photo_ids))
    sql = SUMMARY_SQL.replace(":lang", "?") + f" WHERE p.id IN ({marks})"
    rows = {r["id"]: r for r in _rows(db, sql, [lang, *photo_ids])}
    return [rows[i] for i in photo_ids if i in rows]
