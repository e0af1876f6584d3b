"""Editing caption fields: validated first, written in one transaction, kept in history.

Every field an editor changes goes through `apply_edit`, which expands code
replacements, records old and new values under one change set, and keeps the
search index in step. `undo` plays a change set backwards as a new change set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from photodesk.catalog import codes as code_table
from photodesk.catalog import history, places, search
from photodesk.catalog.tx import write
from photodesk.dates import DateParseError, parse_date
from photodesk.errors import PhotodeskError
from photodesk.fields import KINDS, PER_LANGUAGE, PER_PHOTO_TEXT, STATUSES
from photodesk.language import LanguageError, normalize_lang

PLACE_FIELDS = {"created_place": "created_place_id", "shown_place": "shown_place_id"}
DATE_COLUMNS = (
    "taken_start",
    "taken_end",
    "taken_precision",
    "taken_text",
    "taken_source",
    "taken_offset",
)


class EditError(PhotodeskError):
    pass


@dataclass
class Edit:
    """What to change; None leaves a field alone, "" (or []) clears it."""

    lang: str | None = None
    captions: dict[str, str | None] = field(default_factory=dict)  # PER_LANGUAGE
    text: dict[str, str | None] = field(default_factory=dict)  # PER_PHOTO_TEXT
    keywords: list[str] | None = None
    kind: str | None = None
    status: str | None = None
    date: str | None = None
    created_place: str | None = None
    shown_place: str | None = None

    def is_empty(self) -> bool:
        return not (self.captions or self.text) and all(
            v is None
            for v in (
                self.keywords,
                self.kind,
                self.status,
                self.date,
                self.created_place,
                self.shown_place,
            )
        )

    def has_per_language(self) -> bool:
        return any(v is not None for v in self.captions.values())


@dataclass
class EditResult:
    change_set: int | None
    photos_changed: int
    fields_changed: int
    unknown_codes: list[str]
    warnings: list[str] = field(default_factory=list)


# IPTC-IIM dataset limits in bytes. XMP has none, so the text is kept whole;
# the editor is told now rather than finding a clipped by-line in an export.
IIM_LIMITS = {
    "headline": 256,
    "title": 64,
    "description": 2000,
    "creator": 32,
    "creator_title": 32,
    "credit": 32,
    "source": 32,
    "copyright": 128,
    "job_id": 32,
    "instructions": 256,
    "caption_writer": 32,
    "keywords": 64,
}


def _iim_warning(name: str, value: str | None) -> str | None:
    limit = IIM_LIMITS.get(name)
    size = len(value.encode("utf-8")) if value else 0
    if limit is None or size <= limit:
        return None
    return (
        f"{name} is {size} bytes in UTF-8 and IPTC-IIM holds {limit}; it is kept whole "
        "(XMP has no limit), and IIM exports will say so"
    )


def _date_state(row: dict[str, Any]) -> str | None:
    if not any(row.get(c) for c in DATE_COLUMNS):
        return None
    return json.dumps({c: row.get(c) for c in DATE_COLUMNS}, ensure_ascii=False)


def date_columns(state: str | None) -> dict[str, Any]:
    values = json.loads(state) if state else {}
    return {c: values.get(c) for c in DATE_COLUMNS}


def _photo(db: Database, photo_id: int) -> dict[str, Any]:
    cursor = db.execute("SELECT * FROM photos WHERE id = ?", [photo_id])
    row = cursor.fetchone()
    if row is None:
        raise EditError(f"no photo with id {photo_id}")
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def _caption(db: Database, photo_id: int, lang: str) -> dict[str, str | None]:
    row = db.execute(
        "SELECT headline, title, description FROM captions WHERE photo_id = ? AND lang = ?",
        [photo_id, lang],
    ).fetchone()
    return dict(zip(PER_LANGUAGE, row or (None, None, None), strict=True))


def _clean(value: str | None) -> str | None:
    return value if value else None  # "" clears: stored as NULL, never as an empty string


def _resolve(db: Database, edit: Edit) -> dict[str, Any]:
    """Validate everything before anything is written; return the derived values."""
    out: dict[str, Any] = {}
    if edit.kind is not None and edit.kind not in KINDS:
        raise EditError(f"kind {edit.kind!r} is not one of {', '.join(KINDS)}")
    if edit.status is not None and edit.status not in STATUSES:
        raise EditError(f"status {edit.status!r} is not one of {', '.join(STATUSES)}")
    for name in list(edit.captions) + list(edit.text):
        if name not in PER_LANGUAGE + PER_PHOTO_TEXT:
            raise EditError(f"{name!r} is not a caption field")
    if edit.date is not None:
        if edit.date.strip():
            try:
                taken = parse_date(edit.date)
            except DateParseError as exc:
                raise EditError(str(exc)) from exc
            out["date"] = json.dumps(taken.columns("manual"), ensure_ascii=False)
        else:
            out["date"] = None
    for name in PLACE_FIELDS:
        value = getattr(edit, name)
        if value is None:
            continue
        if not value.strip():
            out[name] = None
            continue
        place_id = places.lookup(db, value)
        if place_id is None:
            raise EditError(
                f"no place named {value!r}; add it first with: photodesk place add {value!r}"
            )
        out[name] = str(place_id)
    return out


def apply_edit(
    db: Database,
    photo_ids: list[int],
    edit: Edit,
    user: str,
    summary: str = "edit",
    default_lang: str = "en",
) -> EditResult:
    """Apply one edit to one or many photos as a single change set and transaction."""
    if edit.is_empty():
        raise EditError("nothing to change: give at least one field")
    if len(photo_ids) > 1 and edit.has_per_language():
        raise EditError(
            "headline, title and caption differ per photo: edit them one photo at a time"
        )
    try:
        lang = normalize_lang(edit.lang) if edit.lang else default_lang
    except LanguageError as exc:
        raise EditError(str(exc)) from exc
    known_codes = code_table.all_codes(db)
    unknown: list[str] = []

    def expand(value: str | None) -> str | None:
        if not value:
            return _clean(value)
        text, missing = code_table.expand(value, known_codes)
        unknown.extend(m for m in missing if m not in unknown)
        return text

    captions = {k: expand(v) for k, v in edit.captions.items() if v is not None}
    text = {k: expand(v) for k, v in edit.text.items() if v is not None}
    keywords = None
    if edit.keywords is not None:
        expanded = (expand(k.strip()) for k in edit.keywords)
        keywords = json.dumps(list(dict.fromkeys(k for k in expanded if k)), ensure_ascii=False)
    warnings = [w for w in (_iim_warning(n, v) for n, v in {**captions, **text}.items()) if w]
    if keywords is not None:
        warnings += [w for w in (_iim_warning("keywords", k) for k in json.loads(keywords)) if w]
    fields_changed = 0
    photos_changed = 0
    with write(db):
        resolved = _resolve(db, edit)
        for photo_id in photo_ids:
            _photo(db, photo_id)  # a missing id fails the whole edit
        change_set = history.open_change_set(db, user, summary)
        for photo_id in photo_ids:
            row = _photo(db, photo_id)
            changes: list[tuple[str, str | None, Any, Any]] = []
            current = _caption(db, photo_id, lang)
            for name, value in captions.items():
                changes.append((name, lang, current[name], value))
            for name, value in text.items():
                changes.append((name, None, row[name], value))
            if keywords is not None:
                new_kw = None if keywords == "[]" else keywords
                changes.append(("keywords", None, row["keywords"], new_kw))
            if edit.kind is not None:
                changes.append(("kind", None, row["kind"], edit.kind))
            if edit.status is not None:
                changes.append(("status", None, row["status"], edit.status))
            if "date" in resolved:
                changes.append(("date", None, _date_state(row), resolved["date"]))
            for name, column in PLACE_FIELDS.items():
                if name in resolved:
                    old = str(row[column]) if row[column] is not None else None
                    changes.append((name, None, old, resolved[name]))
            real = [c for c in changes if c[2] != c[3]]
            for name, field_lang, old, new in real:
                _write(db, photo_id, name, field_lang, new)
                history.record(db, change_set, photo_id, name, field_lang, old, new)
            if real:
                photos_changed += 1
                fields_changed += len(real)
                search.reindex(db, [photo_id])
        if not fields_changed:
            db.execute("DELETE FROM change_sets WHERE id = ?", [change_set])
            return EditResult(None, 0, 0, unknown, warnings)
    return EditResult(change_set, photos_changed, fields_changed, unknown, warnings)


def _write(db: Database, photo_id: int, name: str, lang: str | None, value: Any) -> None:
    if name in PER_LANGUAGE:
        db.execute(
            "INSERT INTO captions (photo_id, lang) VALUES (?, ?) "
            "ON CONFLICT (photo_id, lang) DO NOTHING",
            [photo_id, lang],
        )
        db.execute(
            f"UPDATE captions SET [{name}] = ? WHERE photo_id = ? AND lang = ?",
            [value, photo_id, lang],
        )
        # A language with nothing left in it is no caption at all (and undo of a
        # first caption leaves no trace of the language).
        db.execute(
            "DELETE FROM captions WHERE photo_id = ? AND lang = ? AND headline IS NULL "
            "AND title IS NULL AND description IS NULL",
            [photo_id, lang],
        )
    elif name == "date":
        db["photos"].update(photo_id, date_columns(value))
    elif name in PLACE_FIELDS:
        db["photos"].update(photo_id, {PLACE_FIELDS[name]: int(value) if value else None})
    else:
        db["photos"].update(photo_id, {name: value})


def undo(db: Database, user: str, photo_id: int | None = None) -> tuple[int, int] | None:
    """Revert the newest change set (only `photo_id`'s part of it, if given).

    Returns (undone change set, new change set), or None when there is nothing
    to undo. The undo is itself recorded, so history shows both.
    """
    with write(db):
        target = history.last_undoable(db, photo_id)
        if target is None:
            return None
        already = _undone_photos(db, target)
        entries = [e for e in history.entries(db, target, photo_id) if e["photo_id"] not in already]
        new_set = history.open_change_set(db, user, f"undo of change set {target}", undoes=target)
        touched: set[int] = set()
        for e in entries:  # newest first, so repeated edits of one field unwind in order
            pid = e["photo_id"]
            if e["field"] == "place":  # a merged-away place comes back before its photos
                places.restore(db, e["old"])
                history.record(db, new_set, None, "place", None, None, e["old"])
                continue
            if e["field"] in PER_LANGUAGE:
                current = _caption(db, pid, e["lang"])[e["field"]]
            elif e["field"] == "date":
                current = _date_state(_photo(db, pid))
            elif e["field"] in PLACE_FIELDS:
                value = _photo(db, pid)[PLACE_FIELDS[e["field"]]]
                current = str(value) if value is not None else None
            else:
                current = _photo(db, pid)[e["field"]]
            if (
                e["field"] in PLACE_FIELDS
                and e["old"]
                and not db["places"].count_where("id = ?", [int(e["old"])])
            ):
                raise EditError(
                    f"cannot undo: place {e['old']} of photo {pid} has since been merged away"
                )
            _write(db, pid, e["field"], e["lang"], e["old"])
            history.record(db, new_set, pid, e["field"], e["lang"], current, e["old"])
            touched.add(pid)
        # Undoing one photo's part of a batch leaves the rest of it undoable; the
        # change set counts as undone once every photo's part is.
        if _undone_photos(db, target) >= _photos_in(db, target):
            db["change_sets"].update(target, {"undone_by": new_set})
        search.reindex(db, sorted(p for p in touched if p is not None))
    return target, new_set


def _photos_in(db: Database, change_set: int) -> set[int]:
    return {
        r[0]
        for r in db.execute(
            "SELECT DISTINCT photo_id FROM history WHERE change_set = ?", [change_set]
        ).fetchall()
    }


def _undone_photos(db: Database, change_set: int) -> set[int]:
    """Photos whose part of `change_set` a later undo has already reverted."""
    return {
        r[0]
        for r in db.execute(
            "SELECT DISTINCT h.photo_id FROM history h JOIN change_sets c ON c.id = h.change_set "
            "WHERE c.undoes = ?",
            [change_set],
        ).fetchall()
    }
