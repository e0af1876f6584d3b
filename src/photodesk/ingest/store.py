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

from photodesk.catalog import Catalog, photos, places, search, stories
from photodesk.catalog import imports as runs
from photodesk.catalog.tx import write
from photodesk.dates import DateParseError, TakenDate, exif_date, parse_date
from photodesk.fields import PER_LANGUAGE, PER_PHOTO_TEXT, where
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

    # -- outcomes (paths arrive as the OS gives them; the catalog stores text) --

    def problem(self, path: str, reason: str) -> None:
        path = display_path(path)
        runs.add_problem(self.db, self.summary.run_id, path, reason)
        self.summary.failed += 1
        self.summary.problems.append({"path": path, "reason": reason})

    def warning(self, path: str, reason: str) -> None:
        path = display_path(path)
        runs.add_problem(self.db, self.summary.run_id, path, reason, severity="warning")
        self.summary.warnings.append({"path": path, "reason": reason})

    def assign_notes(self, paths: list[str]) -> None:
        """Match the notes to this batch's files up front; report rows that fit none or many."""
        if self.notes is None:
            return
        found = self.notes.assign(paths)
        self.notes_for = found.by_path
        source = str(self.notes.source)
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

    # -- rows -----------------------------------------------------------------

    def _row(self, rec: dict[str, Any]) -> dict[str, Any]:
        row = {k: rec[k] for k in _FILE_FACTS} | rec["fields"]
        row["keywords"] = rec["keywords"] or None
        row["original_path"] = display_path(self.archive.relative(Path(rec["original_path"])))
        row["thumb_path"] = self.archive.relative(Path(rec["thumb_path"]))
        row["import_run_id"] = self.summary.run_id
        row["imported_at"] = _now()
        return row | _taken_from_metadata(rec)

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
        notes = self.notes_for.get(path, [])
        if notes:
            captioned = [n for n in notes if any(n.values.get(k) for k in PER_LANGUAGE)]
            held = photos.captions(self.db, photo_id)
            taken = screen([n.language or self.lang for n in captioned], held, first=self.lang)
            refused = set(taken.over)
            over = [n for n in captioned if (n.language or self.lang) in refused]
            for note in notes:
                fits = (note.language or self.lang) not in refused
                changed = self._apply_note(photo_id, note, path, new, fits) or changed
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

    def _apply_note(
        self, photo_id: int, note: NoteRow, path: str, new: bool, captions: bool = True
    ) -> bool:
        """Fill what the catalog does not have yet: re-running never overwrites edits.

        Without `captions` (its language would be one too many) only the
        row's per-photo fields are applied.
        """
        v = note.values
        where_ = f"{self._notes_name()} line {note.line}"
        current = photos.row(self.db, photo_id) or {}
        lang = note.language or self.lang
        caps = photos.captions(self.db, photo_id).get(lang, {})
        fill = {k: v[k] for k in PER_LANGUAGE if captions and v.get(k) and not caps.get(k)}
        if fill:
            photos.set_caption(self.db, photo_id, lang, dict(fill))
        updates: dict[str, Any] = {
            k: v[k] for k in PER_PHOTO_TEXT if v.get(k) and not current.get(k)
        }
        if new:
            updates |= {k: v[k] for k in _ONLY_WHEN_NEW if v.get(k)}
        for name in _LISTS:  # merged: the notes' words join what the catalog has
            if v.get(name):
                have = json.loads(current[name]) if current.get(name) else []
                merged = list(dict.fromkeys(have + [w.strip() for w in v[name].split(",")]))
                merged = [w for w in merged if w]
                if merged != have:
                    updates[name] = json.dumps(merged, ensure_ascii=False)
        for name in _PLACE_REFS:
            if v.get(name) and not current.get(f"{name}_id"):
                updates[f"{name}_id"], _ = places.find_or_create(self.db, v[name])
        if v.get("date"):
            updates |= self._note_date(v["date"], current, path, where_)
        photos.update(self.db, photo_id, updates)
        return bool(fill or updates)

    def _note_date(self, text: str, current: dict[str, Any], path: str, where_: str) -> dict:
        try:
            taken = parse_date(text)
        except DateParseError as exc:
            self.warning(path, f"{where_}: {exc}")
            return {}
        if current.get("taken_source") in ("exif", "manual"):
            start = current.get("taken_start")
            if start and not (taken.start_iso <= start <= taken.end_iso):
                who = "the camera" if current["taken_source"] == "exif" else "the catalog"
                self.warning(
                    path,
                    f"{where_}: the notes say {text!r} but {who} says {start}; kept {who}'s date",
                )
            return {}
        if current.get("taken_source") == "caption":
            return {}
        return taken.columns("caption")


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
