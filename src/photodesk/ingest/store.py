"""What an import writes to the catalog: one transaction per file, in scan order.

A read file becomes a photo row with its captions and place, or is found to
be a duplicate (by path, size and mtime, or by content); the partner's notes
fill what the catalog does not have yet; the photo joins the batch's story;
problems and warnings are recorded with the run. A kill at any moment leaves
whole files or none.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from photodesk.catalog import Catalog, edits, history, photos, places, search, stories
from photodesk.catalog import imports as runs
from photodesk.catalog.tx import write
from photodesk.dates import DateParseError, TakenDate, exif_date, parse_date
from photodesk.fields import BY_NAME, PER_LANGUAGE, PER_PHOTO_TEXT, where
from photodesk.files import source_key
from photodesk.ingest.notes import NoteRow, Notes, quoted
from photodesk.ingest.worker import Inspected
from photodesk.language import MAX_PER_PHOTO, few, screen, shown
from photodesk.text import display_path, without_controls

# Fields the notes may set on a photo only when it is new to the catalog.
_ONLY_WHEN_NEW = tuple(f.name for f in where(type="choice"))
_PLACE_REFS = tuple(f.name for f in where(type="place"))
_LISTS = tuple(f.name for f in where(type="list"))
# What the reader found about the file and camera, kept as photo columns.
_FILE_FACTS = (
    "sha256",
    "file_name",
    "file_size",
    "format",
    "width",
    "height",
    "orientation",
    "camera_make",
    "camera_model",
    "lens_model",
    "body_serial",
    "gps_lat",
    "gps_lon",
    "gps_alt",
    "phash",
)


@dataclass
class NotesCount:
    """What became of the notes' rows, each counted once.

    conflicting: the catalog held other values and kept them (the rest of the
    row may have been applied); skipped: nothing of the row applied, for a
    reason its warning gives; unchanged: the catalog had all of it already.
    """

    applied: int = 0
    conflicting: int = 0
    skipped: int = 0
    unchanged: int = 0


@dataclass
class ImportSummary:
    run_id: int
    added: int = 0
    duplicates: int = 0  # already in the archive, by path or by content
    skipped: int = 0
    failed: int = 0
    problems: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    photo_ids: list[int] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0
    skipped_files: list[str] = field(default_factory=list)  # not images, so not catalogued
    thumbnails_pending: int = 0  # in the whole catalog when the run ended: the next run makes them
    notes: NotesCount | None = None  # with notes only
    # What notes changed on photos catalogued before this run: one change set, for undo.
    notes_change_set: int | None = None

    @property
    def total(self) -> int:
        return self.added + self.duplicates + self.skipped + self.failed

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"total": self.total}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """One run of an import: its counters, its catalog writes, its notes."""

    def __init__(self, catalog: Catalog, run_id: int, notes: Notes | None, story: str | None):
        self.db = catalog.db
        self.archive = catalog.archive
        self.notes = notes
        self.lang = catalog.default_language
        self.summary = ImportSummary(run_id=run_id)
        self.story_id = stories.find_or_create(self.db, story) if story else None
        self.notes_for: dict[str, list[NoteRow]] = {}
        if notes is not None:
            self.summary.notes = NotesCount()

    # -- outcomes (paths arrive as the OS gives them; the catalog stores text) --

    def problem(self, path: str, reason: str) -> None:
        self._notes_left(self.notes_for.pop(path, []), "its file could not be imported")
        path = display_path(path)
        runs.add_problem(self.db, self.summary.run_id, path, reason)
        self.summary.failed += 1
        self.summary.problems.append({"path": path, "reason": reason})

    def warning(self, path: str, reason: str) -> None:
        path = display_path(path)
        runs.add_problem(self.db, self.summary.run_id, path, reason, severity="warning")
        self.summary.warnings.append({"path": path, "reason": reason})

    def skip(self, path: str) -> None:
        """A file that is not an image: counted and named, not catalogued."""
        self.summary.skipped += 1
        self.summary.skipped_files.append(display_path(path))

    def finish_notes(self) -> None:
        """Report the rows whose files the run never reached (it was stopped)."""
        left = [row for rows in self.notes_for.values() for row in rows]
        self.notes_for = {}
        self._notes_left(left, "the import stopped before its file")

    def _notes_left(self, rows: list[NoteRow], reason: str) -> None:
        if not rows or self.notes is None or self.summary.notes is None:
            return
        self.summary.notes.skipped += len(rows)
        lines = few([str(row.line) for row in sorted(rows, key=lambda r: r.line)])
        self.warning(str(self.notes.source), f"line(s) {lines} not applied: {reason}")

    def assign_notes(self, paths: list[str]) -> None:
        """Match the notes to this batch's files up front; report rows that fit none or many."""
        if self.notes is None:
            return
        found = self.notes.assign(paths)
        self.notes_for = found.by_path
        source = str(self.notes.source)
        if self.summary.notes is not None:
            self.summary.notes.skipped += (
                len(found.unmatched) + len(found.ambiguous) + len(found.repeated)
            )
        for row in found.unmatched:
            self.warning(
                source, f"line {row.line} names {quoted(row.file, 120)}, which is not in this batch"
            )
        for row, candidates in found.ambiguous:
            folders = {str(Path(c).parent) for c in candidates}
            self.warning(
                source,
                f"line {row.line} names {quoted(row.file, 120)}, which fits "
                f"{len(candidates)} files in this batch; "
                + (
                    "their names differ only in case or Unicode form — rename one"
                    if len(folders) < len(candidates)
                    else "give its folder too (day1/IMG_0001.JPG)"
                )
                + " — not applied",
            )
        for row, kept in found.repeated:
            self.warning(
                source,
                f"line {row.line} repeats line {kept.line} for {quoted(row.file, 120)}"
                f"{' (' + row.language + ')' if row.language else ''}; only line {kept.line} used",
            )

    def known(self, path: str, photo_id: int) -> None:
        with write(self.db):
            self._after_store(path, photo_id)
        self.summary.duplicates += 1

    def store(self, result: Inspected) -> str:
        """Catalogue one read file; returns its outcome (added, duplicate or failed)."""
        if result.status == "problem":
            self.problem(result.path, result.reason or "unreadable")
            return "failed"
        # One transaction per file, so a kill leaves whole files or none; the
        # catalog functions called inside it nest as savepoints.
        with write(self.db):
            photo_id = photos.sha_exists(self.db, result.sha256 or "")
            added = False
            if photo_id is None and result.status == "new":
                rec = result.record
                located = rec.get("places") or {}
                photo_id, added = photos.add(
                    self.db,
                    self._row(rec),
                    self._caption_languages(result.path, rec["captions"]),
                    # The legacy IPTC location says less than a Location Shown structure.
                    None if located.get("shown_place") else rec["place"],
                )
                if added and located:
                    photos.update(self.db, photo_id, self._located(located))
            elif photo_id is not None and result.status == "new":
                self._restore_files(photo_id, result.record)
            if photo_id is not None:
                runs.remember_file(
                    self.db,
                    source_key(result.path),
                    result.size,
                    result.mtime_ns,
                    photo_id,
                    self.summary.run_id,
                )
                self._after_store(result.path, photo_id, new=added)
        if photo_id is None:
            self.problem(result.path, "its photo was removed from the catalog during the import")
            return "failed"
        if added:
            self.summary.added += 1
            return "added"
        self.summary.duplicates += 1
        return "duplicate"

    def _restore_files(self, photo_id: int, rec: dict[str, Any]) -> None:
        """A catalogued photo read again because its files were missing: point at the new ones.

        The worker has written (when copying) the original at its
        content-addressed place, and the file's preview if it has one; an
        original imported in place may now be found somewhere else.
        """
        row = photos.row(self.db, photo_id) or {}
        fixed: dict[str, Any] = {}
        stored = row.get("original_path")
        if not stored or not self.archive.resolve(stored).is_file():
            fixed["original_path"] = display_path(self.archive.relative(Path(rec["original_path"])))
        stored = row.get("thumb_path")
        if not stored or not self.archive.resolve(stored).is_file():
            # The second phase makes it again; the file's preview stands in meanwhile.
            fixed["thumb_path"] = (
                self.archive.relative(Path(rec["thumb_path"])) if rec["thumb_path"] else None
            )
            fixed["thumb_pending"] = 1
        if fixed:
            photos.update(self.db, photo_id, fixed)
            self.warning(rec.get("original_path") or "", "restored the archive's missing files")

    # -- rows -----------------------------------------------------------------

    def _row(self, rec: dict[str, Any]) -> dict[str, Any]:
        row = {k: rec[k] for k in _FILE_FACTS} | rec["fields"]
        row["keywords"] = rec["keywords"] or None
        row["original_path"] = display_path(self.archive.relative(Path(rec["original_path"])))
        # Until the second phase makes the real thumbnail: the file's own preview, or none.
        row["thumb_path"] = (
            self.archive.relative(Path(rec["thumb_path"])) if rec["thumb_path"] else None
        )
        row["thumb_pending"] = rec["thumb_pending"]
        row["import_run_id"] = self.summary.run_id
        row["imported_at"] = _now()
        taken = _taken_from_metadata(rec)
        if taken.get("taken_source") == "exif":  # a fact beside the desk's date, never edited
            row |= photos.camera_date(taken)
        return row | taken

    def _caption_languages(
        self, path: str, captions: dict[str, dict[str, str]]
    ) -> dict[str, dict[str, str]]:
        """A file's captions under tags a user could type, at most MAX_PER_PHOTO of them.

        What is left out is a warning on this file alone: the rest of the batch
        and the archive never see it.
        """
        found = screen(captions, first=self.lang)
        kept: dict[str, dict[str, str]] = {}
        for raw, tag in found.kept.items():  # "EN" and "en" are one language
            for name, text in captions[raw].items():
                kept.setdefault(tag, {}).setdefault(name, text)
        if found.invalid:
            self.warning(
                path,
                f"captions under {len(found.invalid):,} language(s) that are not language tags "
                f"not stored: {few([shown(t) for t in found.invalid])}",
            )
        if found.over:
            self.warning(
                path,
                f"captions in {len(found.over):,} more language(s) than the {MAX_PER_PHOTO} a "
                f"photo holds not stored: {few(found.over)}",
            )
        return kept

    def _located(self, located: dict[str, dict[str, str]]) -> dict[str, int]:
        """Location Created/Shown as the gazetteer's places, found by name or added."""
        out = {}
        for name in _PLACE_REFS:
            found = {k: without_controls(v).strip() for k, v in located.get(name, {}).items()}
            parts = {k: v for k, v in found.items() if v and k != "name"}
            place_name = found.get("name") or places.name_for(parts)
            if place_name:
                out[f"{name}_id"], _ = places.find_or_create(self.db, place_name, **parts)
        return out

    def _after_store(self, path: str, photo_id: int, new: bool = False) -> None:
        self.summary.photo_ids.append(photo_id)
        changed = new
        notes = self.notes_for.pop(path, [])
        if notes:
            captioned = [n for n in notes if any(n.values.get(k) for k in PER_LANGUAGE)]
            held = photos.captions(self.db, photo_id)
            taken = screen([n.language or self.lang for n in captioned], held, first=self.lang)
            refused = set(taken.over)
            over = [n for n in captioned if (n.language or self.lang) in refused]
            for note in notes:
                fits = (note.language or self.lang) not in refused
                self._count(self._apply_note(photo_id, note, path, new, fits))
            if over:
                self.warning(
                    path,
                    f"{self._notes_name()} line(s) {few([str(n.line) for n in over])}: captions "
                    f"in {len(taken.over):,} more language(s) than the {MAX_PER_PHOTO} a photo "
                    f"holds not applied: {few(taken.over)}",
                )
        if self.story_id is not None:
            stories.append(self.db, self.story_id, [photo_id])
        if changed:
            search.reindex(self.db, [photo_id])

    def _notes_name(self) -> str:
        return self.notes.source.name if self.notes else "notes"

    def _count(self, outcome: str) -> None:
        if self.summary.notes is not None:
            setattr(self.summary.notes, outcome, getattr(self.summary.notes, outcome) + 1)

    def _notes_change_set(self) -> int:
        """The change set notes' changes to photos catalogued before this run go into."""
        if self.summary.notes_change_set is None:
            self.summary.notes_change_set = edits.open_change_set(
                self.db, history.current_user(), f"notes from {self._notes_name()}"
            )
        return self.summary.notes_change_set

    def _apply_note(
        self, photo_id: int, note: NoteRow, path: str, new: bool, captions: bool = True
    ) -> str:
        """Fill what the catalog does not have yet: re-running never overwrites edits.

        Without `captions` (its language would be one too many) only the
        row's per-photo fields are applied. What a photo catalogued before this
        run gets is one change set's part, for history and undo. Each value
        not applied is reported, in one warning for the row. Returns the row's
        outcome, a NotesCount name.
        """
        v = note.values
        current = photos.row(self.db, photo_id) or {}
        lang = note.language or self.lang
        caps = photos.captions(self.db, photo_id).get(lang, {})
        values: dict[str, Any] = {}  # by field, in the form history keeps
        kept: list[str] = []  # fields whose other value in the catalog stays
        reasons: list[str] = []  # why other values were not applied
        conflict = False
        for name in PER_LANGUAGE:
            if not (captions and v.get(name)):
                continue
            if not caps.get(name):
                values[name] = v[name]
            elif caps[name] != v[name]:
                kept.append(f"{_label(name)} [{lang}]")
        for name in PER_PHOTO_TEXT:
            if v.get(name):
                if not current.get(name):
                    values[name] = v[name]
                elif current[name] != v[name]:
                    kept.append(_label(name))
        for name in _ONLY_WHEN_NEW:
            if v.get(name) and new:
                values[name] = v[name]
            elif v.get(name) and current.get(name) != v[name]:
                kept.append(f"{_label(name)} ({current.get(name)})")
        for name in _LISTS:  # merged: the notes' words join what the catalog has
            if v.get(name):
                have = json.loads(current[name]) if current.get(name) else []
                merged = list(dict.fromkeys(have + [w.strip() for w in v[name].split(",")]))
                merged = [w for w in merged if w]
                if merged != have:
                    values[name] = json.dumps(merged, ensure_ascii=False)
        for name in _PLACE_REFS:
            held_place = current.get(f"{name}_id")
            if v.get(name) and not held_place:
                values[name] = str(places.find_or_create(self.db, v[name])[0])
            elif v.get(name) and places.find(self.db, v[name]) != held_place:
                kept.append(_label(name))
        if kept:
            conflict = True
            reasons.append(f"kept the catalog's {', '.join(kept)}, which the notes contradict")
        if v.get("date"):
            try:
                date, disagreement = self._note_date(v["date"], current)
            except DateParseError as exc:
                date, disagreement = None, None
                reasons.append(str(exc))
            if date is not None:
                values["date"] = date
            elif disagreement is not None:
                conflict = True
                reasons.append(disagreement)
        change_set = None if new or not values else self._notes_change_set()
        changed = edits.write_values(self.db, photo_id, lang, values, change_set)
        if reasons:
            self.warning(path, f"{self._notes_name()} line {note.line}: " + "; ".join(reasons))
        if conflict:
            return "conflicting"
        if changed:
            return "applied"
        refused_captions = not captions and any(v.get(k) for k in PER_LANGUAGE)
        return "skipped" if reasons or refused_captions else "unchanged"

    def _note_date(self, text: str, current: dict[str, Any]) -> tuple[str | None, str | None]:
        """The notes' date as history keeps it, to apply; or None and how it disagrees.

        A date the camera, the desk or earlier notes gave stays; a phrase that
        holds it is no disagreement. Raises DateParseError for a phrase no date.
        """
        taken = parse_date(text)
        source = current.get("taken_source")
        if source in ("exif", "manual", "caption"):
            start = current.get("taken_start")
            if start and not (taken.start_iso <= start <= taken.end_iso):
                who, whose = _DATE_GIVERS[source]
                return (
                    None,
                    f"the notes say {quoted(text)} but {who} says {start}; kept {whose} date",
                )
            return None, None
        return json.dumps(taken.columns("caption"), ensure_ascii=False), None


_DATE_GIVERS = {
    "exif": ("the camera", "the camera's"),
    "manual": ("the desk", "the desk's"),
    "caption": ("earlier notes", "their"),
}


def _label(name: str) -> str:
    """A field as the notes name it (the caption, not the description)."""
    return BY_NAME[name].notes[0] if BY_NAME[name].notes else name


def _desk_date(columns: dict[str, str]) -> TakenDate | None:
    """The date photodesk wrote in its own XMP namespace, if it is whole and sound."""
    try:
        return TakenDate(
            start=datetime.fromisoformat(columns["taken_start"]),
            end=datetime.fromisoformat(columns["taken_end"]),
            precision=columns["taken_precision"],
            text=without_controls(columns.get("taken_text") or "").strip(),
            offset=columns.get("taken_offset") or None,
        )
    except (KeyError, ValueError, TypeError):  # another tool's edit, or a damaged packet
        return None


def _taken_from_metadata(rec: dict[str, Any]) -> dict[str, Any]:
    """The camera's date, else the desk's own (a copy it exported), else IPTC/XMP's."""
    taken = (
        exif_date(rec["exif_taken"], rec["exif_offset"], rec["exif_subsec"])
        if rec["exif_taken"]
        else None
    )
    if taken is not None:
        return taken.columns("exif")
    created = None
    if rec.get("date_created"):
        try:
            created = parse_date(_iso_from_iptc(rec["date_created"]))
        except DateParseError:
            created = None
    desk = _desk_date(rec["taken"]) if rec.get("taken") else None
    # A tool that changed the date created left our phrase behind: the newer date wins.
    if desk is not None and (created is None or desk.overlaps(created.start, created.end)):
        return desk.columns("metadata")
    return created.columns("metadata") if created is not None else {}


def _iso_from_iptc(value: str) -> str:
    """IIM writes 2:55 as YYYYMMDD; XMP as ISO 8601, possibly with a time we drop here."""
    value = value.strip()
    if len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value[:10] if len(value) > 10 and value[10] == "T" else value
