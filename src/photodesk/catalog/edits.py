"""Editing caption fields: validated first, written in one transaction, kept in history.

Every field an editor changes goes through `apply_edit`, which expands code
replacements, records old and new values under one change set, and keeps the
search index in step. `undo` plays a change set backwards as a new change set.
What a field is (per language or per photo, text, list, date, place, choice)
comes from the field table; nothing here names a caption field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlite_utils import Database

from photodesk.catalog import codes as code_table
from photodesk.catalog import history, photos, places, search, settings, stories
from photodesk.catalog.sql import _column, _one, _update, _value
from photodesk.catalog.tx import write
from photodesk.dates import DATE_COLUMNS, DateParseError, parse_date
from photodesk.errors import PhotodeskError, UsageMistake
from photodesk.fields import BY_NAME, EDITABLE, FIELDS, PER_LANGUAGE, Field
from photodesk.language import LanguageError, normalize_lang


class EditError(PhotodeskError):
    pass


class EditMistake(EditError, UsageMistake):
    """A value typed wrong (a date phrase, a place name, a choice, a language): exit 2."""


Mode = Literal["set", "append", "prepend", "fill"]


@dataclass
class Edit:
    """What to change, by field name (fields.EDITABLE).

    A value of None leaves a field alone; "" (or [] for keywords) clears it.
    Keywords are a list; a date is a phrase ("late July 2023"); a place is a
    name or id from the gazetteer.
    """

    values: dict[str, Any] = field(default_factory=dict)
    lang: str | None = None
    # How a value meets what the photo holds, by field name; "set" when absent.
    # "append"/"prepend" add text as a paragraph after/before the field's text (a
    # note for every photo of a story); "fill" sets only a field that is empty
    # (a stationery template). Photos differ, so these may go to a whole batch.
    modes: dict[str, Mode] = field(default_factory=dict)

    def changes(self) -> dict[str, Any]:
        """The fields to change, in table order (history and warnings list them so)."""
        known = {k: v for k, v in self.values.items() if v is not None and k in BY_NAME}
        ordered = {f.name: known[f.name] for f in FIELDS if f.name in known}
        return ordered | {k: v for k, v in self.values.items() if v is not None}

    def is_empty(self) -> bool:
        return not self.changes()

    def has_per_language(self) -> bool:
        """Whether it sets a per-language field outright (the same text for every photo)."""
        return any(k in PER_LANGUAGE and self.modes.get(k, "set") == "set" for k in self.changes())


@dataclass
class EditResult:
    change_set: int | None
    photos_changed: int
    fields_changed: int
    unknown_codes: list[str]
    warnings: list[str] = field(default_factory=list)


def _iim_warning(f: Field, value: str | None) -> str | None:
    """IIM clips at a byte limit and XMP does not: tell the editor now, keep the text whole."""
    size = len(value.encode("utf-8")) if value else 0
    if f.iim_limit is None or size <= f.iim_limit:
        return None
    return (
        f"{f.name} is {size} bytes in UTF-8 and IPTC-IIM holds {f.iim_limit}; it is kept whole "
        "(XMP has no limit), and IIM exports will say so"
    )


def _date_state(row: dict[str, Any]) -> str | None:
    if not any(row.get(c) for c in DATE_COLUMNS):
        return None
    return json.dumps({c: row.get(c) for c in DATE_COLUMNS}, ensure_ascii=False)


def date_columns(state: str | None) -> dict[str, Any]:
    """The taken_* columns a date's history value stands for."""
    values = json.loads(state) if state else {}
    return {c: values.get(c) for c in DATE_COLUMNS}


def _stored(db: Database, f: Field, value: Any, expand: Callable[[str | None], str | None]) -> Any:
    """Validate one field's new value and turn it into what history and the catalog keep."""
    if f.type == "text":
        return expand(value)
    if f.type == "list":
        words = (expand(str(k).strip()) for k in value)
        kept = list(dict.fromkeys(k for k in words if k))
        return json.dumps(kept, ensure_ascii=False) if kept else None
    if f.type == "choice":
        if value not in f.choices:
            raise EditMistake(f"{f.name} {value!r} is not one of {', '.join(f.choices)}")
        return value
    if f.type == "date":
        if not value.strip():
            return None
        try:
            return json.dumps(parse_date(value).columns("manual"), ensure_ascii=False)
        except DateParseError as exc:
            raise EditMistake(str(exc)) from exc
    # a place
    if not value.strip():
        return None
    place_id = places.lookup(db, value)
    if place_id is None:
        raise EditMistake(
            f"no place named {value!r}; add it first with: photodesk place add {value!r}"
        )
    return str(place_id)


def _warnings(f: Field, stored: Any) -> list[str]:
    texts = json.loads(stored) if f.type == "list" and stored else [stored]
    return [w for w in (_iim_warning(f, t) for t in texts if f.type in ("text", "list")) if w]


def _current(row: dict[str, Any], caption: dict[str, Any], f: Field) -> Any:
    """A field's value as history keeps it, from the photo row and its caption."""
    if f.scope == "language":
        return caption.get(f.name)
    if f.type == "date":
        return _date_state(row)
    if f.type == "place":
        value = row[f"{f.name}_id"]
        return str(value) if value is not None else None
    return row[f.name]


def _lang(db: Database, edit: Edit) -> str:
    try:
        return normalize_lang(edit.lang) if edit.lang else settings.default_language(db)
    except LanguageError as exc:
        raise EditMistake(str(exc)) from exc


# Photos a batch edit writes per transaction: a fraction of a second each, so
# other writers wait little between them.
BATCH_PHOTOS = 500
# Photos a date warning names one by one; a batch's others are counted.
_NAMED_CONFLICTS = 3


def _date_warnings(conflicts: list[tuple[int, photos.DateCheck]]) -> list[str]:
    """A warning for each photo whose new date leaves out its camera's (the first few named)."""
    out = [
        f"photo {photo_id}: {check.describe()}; both are kept, the camera's as read from the file"
        for photo_id, check in conflicts[:_NAMED_CONFLICTS]
    ]
    if len(conflicts) > _NAMED_CONFLICTS:
        out.append(
            f"and {len(conflicts) - _NAMED_CONFLICTS:,} more photos whose camera's date "
            "the new date leaves out (photodesk list --date-conflicts)"
        )
    return out


def apply_edit(
    db: Database,
    photo_ids: list[int],
    edit: Edit,
    user: str,
    summary: str = "edit",
) -> EditResult:
    """Apply one edit to one or many photos as a single change set.

    Per-language fields go into `edit.lang`, or the archive's default language.
    """
    changes = edit.changes()
    if not changes:
        raise EditError("nothing to change: give at least one field")
    unknown_fields = [k for k in changes if k not in EDITABLE]
    if unknown_fields:
        raise EditError(f"{unknown_fields[0]!r} is not a caption field")
    if len(photo_ids) > 1 and edit.has_per_language():
        raise EditError(
            "headline, title and caption differ per photo: edit them one photo at a time"
        )
    with write(db):
        lang = _lang(db, edit)
        expand = code_table.Expander(db)
        new = {name: _stored(db, BY_NAME[name], value, expand) for name, value in changes.items()}
        warnings = [w for name, value in new.items() for w in _warnings(BY_NAME[name], value)]
        # A missing id fails the whole edit, before any change.
        rows = {
            i: _one(db, "SELECT * FROM photos WHERE id = ?", [i]) for i in photo_ids[:BATCH_PHOTOS]
        }
        missing = [i for i, row in rows.items() if row is None]
        missing += _missing(db, photo_ids[BATCH_PHOTOS:])
        if missing:
            raise EditError(f"no photo with id {missing[0]}")
        change_set = history._open_change_set(db, user, summary)
        conflicts: list[tuple[int, photos.DateCheck]] = []
        photos_changed, fields_changed = _apply_photos(
            db, change_set, rows, lang, new, edit.modes, conflicts
        )
        if not fields_changed and len(photo_ids) <= BATCH_PHOTOS:
            db.execute("DELETE FROM change_sets WHERE id = ?", [change_set])
            return EditResult(None, 0, 0, expand.unknown, warnings)
    # A long batch goes on in bounded transactions under the same change set:
    # another writer (an import, an editor) gets its turn between them, and undo
    # still reverts the whole batch.
    for first in range(BATCH_PHOTOS, len(photo_ids), BATCH_PHOTOS):
        with write(db):
            ids = photo_ids[first : first + BATCH_PHOTOS]
            rows = {i: _one(db, "SELECT * FROM photos WHERE id = ?", [i]) for i in ids}
            more = _apply_photos(db, change_set, rows, lang, new, edit.modes, conflicts)
        photos_changed, fields_changed = photos_changed + more[0], fields_changed + more[1]
    if not fields_changed:
        with write(db):
            db.execute("DELETE FROM change_sets WHERE id = ?", [change_set])
        return EditResult(None, 0, 0, expand.unknown, warnings)
    warnings += _date_warnings(conflicts)
    return EditResult(change_set, photos_changed, fields_changed, expand.unknown, warnings)


def _apply_photos(
    db: Database,
    change_set: int,
    rows: dict[int, dict[str, Any] | None],
    lang: str,
    new: dict[str, Any],
    modes: dict[str, Mode],
    conflicts: list[tuple[int, photos.DateCheck]],
) -> tuple[int, int]:
    """One transaction's share of an edit; returns (photos changed, fields changed).

    Photos whose new date leaves out their camera's are added to `conflicts`.
    """
    photos_changed = fields_changed = 0
    for photo_id, row in rows.items():
        if row is None:  # deleted by another photodesk since the edit began
            continue
        changed = _apply_one(db, change_set, photo_id, row, lang, new, modes, conflicts)
        if changed:
            photos_changed += 1
            fields_changed += changed
            search._reindex(db, [photo_id], {photo_id: row})
    return photos_changed, fields_changed


def open_change_set(db: Database, user: str, summary: str) -> int:
    """A change set for changes that arrive one photo at a time (an import's notes)."""
    with write(db):
        return history._open_change_set(db, user, summary)


def write_values(
    db: Database, photo_id: int, lang: str, values: dict[str, Any], change_set: int | None
) -> int:
    """Write fields already in the form history keeps to one photo; returns how many changed.

    The form: text as text, keywords as JSON text, a date as its columns' JSON,
    a place as its id. Under a change set each change goes into history for
    undo; without one the photo is being imported, and its first values are no
    change to undo.
    """
    with write(db):
        row = photos.row(db, photo_id)
        if row is None:
            return 0
        changed = _apply_one(db, change_set, photo_id, row, lang, values)
        if changed:
            search._reindex(db, [photo_id], {photo_id: row})
    return changed


def _missing(db: Database, photo_ids: list[int]) -> list[int]:
    """Which of these ids no photo has (in bounded queries: a batch may hold many)."""
    found: set[int] = set()
    for first in range(0, len(photo_ids), 500):  # SQLite's limit on bound parameters
        chunk = photo_ids[first : first + 500]
        marks = ",".join("?" * len(chunk))
        found.update(_column(db, f"SELECT id FROM photos WHERE id IN ({marks})", chunk))
    return [i for i in photo_ids if i not in found]


def _combined(mode: Mode, old: Any, value: Any) -> Any:
    """The value a field gets: `value` itself, or joined to what is there, or nothing."""
    empty = old in (None, "", [])
    if mode == "fill":
        return old if not empty else value
    if mode in ("append", "prepend") and not empty and value:
        if str(value) in str(old):
            return old  # already there: running the same batch twice adds it once
        return f"{old}\n{value}" if mode == "append" else f"{value}\n{old}"
    return value


def _apply_one(
    db: Database,
    change_set: int | None,
    photo_id: int,
    row: dict[str, Any],
    lang: str,
    new: dict,
    modes: dict[str, Mode] | None = None,
    conflicts: list[tuple[int, photos.DateCheck]] | None = None,
) -> int:
    """Write one photo's part of an edit; keeps `row` current for reindexing. Returns the count.

    Without a change set, nothing goes into history: the photo is being imported.
    """
    caption = _caption(db, photo_id, lang) if any(n in PER_LANGUAGE for n in new) else {}
    changed = 0
    for name, given in new.items():
        f = BY_NAME[name]
        old = _current(row, caption, f)
        value = _combined((modes or {}).get(name, "set"), old, given)
        if old == value:
            continue
        row.update(_write(db, photo_id, f, lang, value))
        if f.type == "date" and conflicts is not None:
            check = photos.date_check(row)
            if check is not None and check.conflict:
                conflicts.append((photo_id, check))
        if change_set is not None:
            field_lang = lang if f.scope == "language" else None
            history._record(db, change_set, photo_id, name, field_lang, old, value)
        changed += 1
    return changed


def _caption(db: Database, photo_id: int, lang: str) -> dict[str, Any]:
    found = _one(
        db,
        f"SELECT {', '.join(PER_LANGUAGE)} FROM captions WHERE photo_id = ? AND lang = ?",
        [photo_id, lang],
    )
    return found or dict.fromkeys(PER_LANGUAGE)


def _write(db: Database, photo_id: int, f: Field, lang: str | None, value: Any) -> dict[str, Any]:
    """Store one field's value; returns the photo columns that changed."""
    if f.scope == "language":
        # One statement makes the caption row and sets the field; a language
        # with nothing left in it is no caption at all (and undo of a first
        # caption leaves no trace of the language).
        db.execute(
            f"INSERT INTO captions (photo_id, lang, {f.name}) VALUES (?, ?, ?) "
            f"ON CONFLICT (photo_id, lang) DO UPDATE SET {f.name} = excluded.{f.name}",
            [photo_id, lang, value],
        )
        if value is None:
            db.execute(
                "DELETE FROM captions WHERE photo_id = ? AND lang = ? AND "
                + " AND ".join(f"{n} IS NULL" for n in PER_LANGUAGE),
                [photo_id, lang],
            )
        return {}
    if f.type == "date":
        columns = date_columns(value)
    elif f.type == "place":
        columns = {f"{f.name}_id": int(value) if value else None}
    else:
        columns = {f.name: value}
    _update(db, "photos", photo_id, columns)
    return columns


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
        new_set = history._open_change_set(db, user, f"undo of change set {target}", undoes=target)
        touched: set[int] = set()
        for e in entries:  # newest first, so repeated edits of one field unwind in order
            if e["field"] == "place":  # a merged-away place comes back before its photos
                places._restore(db, e["old"])
                history._record(db, new_set, None, "place", None, None, e["old"])
                continue
            if e["field"] == "story":  # a story's membership and order, as they were
                stories._restore(db, e["old"])
                history._record(db, new_set, None, "story", None, e["new"], e["old"])
                continue
            _undo_entry(db, new_set, e)
            touched.add(e["photo_id"])
        # Undoing one photo's part of a batch leaves the rest of it undoable; the
        # change set counts as undone once every photo's part is.
        if _undone_photos(db, target) >= _photos_in(db, target):
            _update(db, "change_sets", target, {"undone_by": new_set})
        search._reindex(db, sorted(touched))
    return target, new_set


def undo_preview(
    db: Database, photo_id: int | None = None
) -> tuple[int, list[dict[str, Any]]] | None:
    """What `undo` would revert, without reverting it: (change set, entries newest first)."""
    target = history.last_undoable(db, photo_id)
    if target is None:
        return None
    already = _undone_photos(db, target)
    return target, [
        e for e in history.entries(db, target, photo_id) if e["photo_id"] not in already
    ]


def redo(db: Database, user: str) -> tuple[int, int] | None:
    """Take back the newest undo: what it reverted is written again, as a new change set.

    Returns (undone undo, new change set), or None when there is nothing to redo
    (a new edit since the undo ends what can be redone).
    """
    with write(db):
        target = history.last_redoable(db)
        if target is None:
            return None
        original = _value(db, "SELECT undoes FROM change_sets WHERE id = ?", [target])
        new_set = history._open_change_set(
            db, user, f"redo of change set {original}", undoes=target
        )
        touched: set[int] = set()
        for e in history.entries(db, target):
            if e["field"] == "place":
                continue  # an undone merge is redone with `place merge`, not here
            if e["field"] == "story":
                stories._restore(db, e["old"])
                history._record(db, new_set, None, "story", None, e["new"], e["old"])
                continue
            _undo_entry(db, new_set, e)
            touched.add(e["photo_id"])
        _update(db, "change_sets", target, {"undone_by": new_set})
        # The original edit stands again, so a later undo finds it.
        db.execute("UPDATE change_sets SET undone_by = NULL WHERE id = ?", [original])
        search._reindex(db, sorted(touched))
    return target, new_set


def _undo_entry(db: Database, new_set: int, e: dict[str, Any]) -> None:
    f, pid = BY_NAME[e["field"]], e["photo_id"]
    row = _one(db, "SELECT * FROM photos WHERE id = ?", [pid]) or {}
    caption = _caption(db, pid, e["lang"]) if f.scope == "language" else {}
    current = _current(row, caption, f)
    if f.type == "place" and e["old"] and places.get(db, int(e["old"])) is None:
        raise EditError(f"cannot undo: place {e['old']} of photo {pid} has since been merged away")
    _write(db, pid, f, e["lang"], e["old"])
    history._record(db, new_set, pid, e["field"], e["lang"], current, e["old"])


def _photos_in(db: Database, change_set: int) -> set[int]:
    return set(
        _column(db, "SELECT DISTINCT photo_id FROM history WHERE change_set = ?", [change_set])
    )


def _undone_photos(db: Database, change_set: int) -> set[int]:
    """Photos whose part of `change_set` a later undo has already reverted."""
    return set(
        _column(
            db,
            "SELECT DISTINCT h.photo_id FROM history h JOIN change_sets c ON c.id = h.change_set "
            "WHERE c.undoes = ? AND c.undone_by IS NULL",
            [change_set],
        )
    )
