"""Batch import: scan → read (in worker processes) → store, one transaction per file.

Workers read each file once and do everything that needs its bytes (hash,
metadata, thumbnail, archived copy); this process owns the catalog and writes
each file's rows in one transaction, in scan order. A kill at any moment
leaves whole files or none; the next run skips what is stored (by path, size
and mtime) and finishes the rest.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import sqlite3
import stat
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from photodesk.catalog import Catalog, photos, places, search, stories
from photodesk.catalog import imports as runs
from photodesk.catalog.tx import write
from photodesk.dates import DateParseError, exif_date, parse_date
from photodesk.fields import PER_LANGUAGE, PER_PHOTO_TEXT
from photodesk.notes import NoteRow, Notes
from photodesk.reader import Inspected, Job, inspect
from photodesk.sniff import HEAD_SIZE, sniff
from photodesk.text import display_path

log = logging.getLogger(__name__)

# Names that promise an image; a file so named that is not one is a problem,
# while any other non-image (notes, sidecars, .DS_Store) is merely skipped.
IMAGE_SUFFIXES = {
    ".jpg",
    ".jpeg",
    ".jpe",
    ".jfif",
    ".png",
    ".apng",
    ".gif",
    ".tif",
    ".tiff",
    ".webp",
    ".heic",
    ".heif",
    ".hif",
    ".avif",
    ".bmp",
    ".ico",
    ".icns",
    ".sgi",
    ".jp2",
    ".j2k",
    ".jpf",
    ".jpx",
    ".jxl",
    ".mpo",
    ".dng",
    ".arw",
    ".cr2",
    ".cr3",
    ".nef",
    ".nrw",
    ".orf",
    ".raf",
    ".rw2",
    ".pef",
    ".srw",
}


@dataclass
class ImportOptions:
    copy: bool = True
    story: str | None = None
    notes: Notes | None = None
    workers: int | None = None  # default: one per core


@dataclass
class ImportProgress:
    done: int
    total: int
    path: str | None = None
    outcome: str | None = None  # added / duplicate / skipped / failed


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


ProgressCallback = Callable[[ImportProgress], None]
CancelCheck = Callable[[], bool]


ScanError = Callable[[str, str], None]


def scan(
    paths: Iterable[str | os.PathLike[str]],
    exclude: Path | None = None,
    on_error: ScanError | None = None,
) -> Iterator[Path]:
    """Every file under `paths`, depth first in name order, each once, never inside `exclude`.

    Paths given twice, or a folder and a file inside it, yield each file once.
    Folders that cannot be read are reported through `on_error`, not skipped in silence.
    """
    report = on_error or (lambda _path, _reason: None)
    excluded = os.path.realpath(exclude) if exclude is not None else None
    seen: set[str] = set()

    def fresh(path: Path) -> bool:
        real = os.path.realpath(path)
        if real in seen:
            return False
        seen.add(real)
        return True

    def walk_error(exc: OSError) -> None:
        report(exc.filename or "?", f"cannot read the folder: {exc.strerror or exc}")

    for top in paths:
        top_path = Path(top).absolute()
        real_top = os.path.realpath(top_path)
        if excluded and (real_top == excluded or real_top.startswith(excluded + os.sep)):
            report(str(top_path), "is inside the archive itself; import the partner's files")
            continue
        if not top_path.is_dir():
            if fresh(top_path):
                yield top_path
            continue
        for root, dirs, files in os.walk(top_path, onerror=walk_error):
            root_path = Path(root)
            dirs[:] = sorted(d for d in dirs if os.path.realpath(root_path / d) != excluded)
            for name in sorted(files):
                if fresh(root_path / name):
                    yield root_path / name


def _worker_init() -> None:
    # Decoders (libtiff, libjpeg) write warnings straight to fd 2; each file's
    # fate is reported in the summary instead of as a wall of C noise.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    logging.getLogger("exifread").setLevel(logging.CRITICAL)


def _pool(workers: int) -> ProcessPoolExecutor:
    # forkserver: safe to start from a threaded process such as the TUI.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["photodesk.reader"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Batch:
    """One run of `import_paths`: the counters, the catalog writes, the notes."""

    def __init__(self, catalog: Catalog, options: ImportOptions, run_id: int):
        self.catalog = catalog
        self.db = catalog.db
        self.archive = catalog.archive
        self.options = options
        self.lang = catalog.default_language
        self.summary = ImportSummary(run_id=run_id)
        self.story_id = None
        if options.story:
            with write(self.db):
                self.story_id = stories.find_or_create(self.db, options.story)
        self.notes_for: dict[str, list[NoteRow]] = {}

    # -- outcomes (paths arrive as the OS gives them; the catalog stores text) --

    def problem(self, path: str, reason: str) -> None:
        path = display_path(path)
        with write(self.db):
            runs.add_problem(self.db, self.summary.run_id, path, reason)
        self.summary.failed += 1
        self.summary.problems.append({"path": path, "reason": reason})

    def warning(self, path: str, reason: str) -> None:
        path = display_path(path)
        with write(self.db):
            runs.add_problem(self.db, self.summary.run_id, path, reason, severity="warning")
        self.summary.warnings.append({"path": path, "reason": reason})

    def assign_notes(self, paths: list[str]) -> None:
        """Match the notes to this batch's files up front; report rows that fit none or many."""
        notes = self.options.notes
        if notes is None:
            return
        found = notes.assign(paths)
        self.notes_for = found.by_path
        source = str(notes.source)
        for row in found.unmatched:
            self.warning(source, f"line {row.line} names {row.file!r}, which is not in this batch")
        for row, count in found.ambiguous:
            self.warning(
                source,
                f"line {row.line} names {row.file!r}, which fits {count} files in this batch; "
                "give its folder too (day1/IMG_0001.JPG) — not applied",
            )
        for row, kept in found.repeated:
            self.warning(
                source,
                f"line {row.line} repeats line {kept.line} for {row.file!r}"
                f"{' (' + row.language + ')' if row.language else ''}; only line {kept.line} used",
            )

    def known(self, path: str, photo_id: int) -> None:
        with write(self.db):
            self._after_store(path, photo_id)
        self.summary.duplicates += 1

    def store(self, result: Inspected) -> str:
        if result.status == "problem":
            self.problem(result.path, result.reason or "unreadable")
            return "failed"
        try:
            added = self._store(result)
        except sqlite3.IntegrityError:
            # Another import stored the same bytes between our check and our
            # insert; it is now simply a duplicate.
            added = self._store(result)
        if added is None:
            self.problem(result.path, "its photo was removed from the catalog during the import")
            return "failed"
        if added:
            self.summary.added += 1
            return "added"
        self.summary.duplicates += 1
        return "duplicate"

    def _store(self, result: Inspected) -> bool | None:
        """Store one read file in one transaction; True if it became a new photo."""
        with write(self.db):
            photo_id = photos.sha_exists(self.db, result.sha256 or "")
            added = photo_id is None and result.status == "new"
            if added:
                photo_id = self._insert(result)
            if photo_id is None:
                return None
            runs.remember_file(
                self.db,
                display_path(result.path),
                result.size,
                result.mtime_ns,
                photo_id,
                self.summary.run_id,
            )
            self._after_store(result.path, photo_id, new=added)
        return added

    # -- rows -----------------------------------------------------------------

    def _insert(self, result: Inspected) -> int:
        rec = result.record
        row: dict[str, Any] = {
            k: rec[k]
            for k in (
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
            )
        }
        row |= rec["fields"]
        row["keywords"] = rec["keywords"] or None
        row["original_path"] = display_path(self.archive.relative(Path(rec["original_path"])))
        row["thumb_path"] = self.archive.relative(Path(rec["thumb_path"]))
        row["import_run_id"] = self.summary.run_id
        row["imported_at"] = _now()
        row |= _taken_from_metadata(rec)
        photo_id = photos.insert(self.db, row)
        for lang, values in rec["captions"].items():
            photos.set_caption(self.db, photo_id, lang, **values)
        shown = _place_name(rec["place"])
        if shown:
            place_id, _ = places.find_or_create(self.db, shown, **rec["place"])
            photos.update_fields(self.db, photo_id, {"shown_place_id": place_id})
        return photo_id

    def _after_store(self, path: str, photo_id: int, new: bool = False) -> None:
        self.summary.photo_ids.append(photo_id)
        changed = new
        for note in self.notes_for.get(path, []):
            changed = self._apply_note(photo_id, note, path, new) or changed
        if self.story_id is not None:
            stories.append(self.db, self.story_id, [photo_id])
        if changed:
            search.reindex(self.db, [photo_id])

    def _apply_note(self, photo_id: int, note: NoteRow, path: str, new: bool) -> bool:
        """Fill what the catalog does not have yet: re-running never overwrites edits."""
        v = note.values
        source = self.options.notes.source.name if self.options.notes else "notes"
        where = f"{source} line {note.line}"
        current = self.db["photos"].get(photo_id)
        lang = note.language or self.lang
        caps = photos.captions(self.db, photo_id).get(lang, {})
        fill = {k: v[k] for k in PER_LANGUAGE if v.get(k) and not caps.get(k)}
        if fill:
            photos.set_caption(self.db, photo_id, lang, **fill)
        updates: dict[str, Any] = {
            k: v[k] for k in PER_PHOTO_TEXT if v.get(k) and not current.get(k)
        }
        if v.get("kind") and new:
            updates["kind"] = v["kind"]
        if v.get("keywords"):
            have = json.loads(current["keywords"]) if current.get("keywords") else []
            merged = list(dict.fromkeys(have + [w.strip() for w in v["keywords"].split(",")]))
            merged = [w for w in merged if w]
            if merged != have:
                updates["keywords"] = json.dumps(merged, ensure_ascii=False)
        for column, key in (
            ("created_place_id", "created_place"),
            ("shown_place_id", "shown_place"),
        ):
            if v.get(key) and not current.get(column):
                updates[column], _ = places.find_or_create(self.db, v[key])
        if v.get("date"):
            updates |= self._note_date(v["date"], current, path, where)
        photos.update_fields(self.db, photo_id, updates)
        return bool(fill or updates)

    def _note_date(self, text: str, current: dict[str, Any], path: str, where: str) -> dict:
        try:
            taken = parse_date(text)
        except DateParseError as exc:
            self.warning(path, f"{where}: {exc}")
            return {}
        if current.get("taken_source") in ("exif", "manual"):
            start = current.get("taken_start")
            if start and not (taken.start_iso <= start <= taken.end_iso):
                who = "the camera" if current["taken_source"] == "exif" else "the catalog"
                self.warning(
                    path,
                    f"{where}: the notes say {text!r} but {who} says {start}; kept {who}'s date",
                )
            return {}
        if current.get("taken_source") == "caption":
            return {}
        return taken.columns("caption")


def _place_name(place: dict[str, str]) -> str | None:
    parts = [place.get(k) for k in ("sublocation", "city", "province", "country")]
    name = ", ".join(p for p in parts if p)
    return name or None


def _taken_from_metadata(rec: dict[str, Any]) -> dict[str, Any]:
    taken = (
        exif_date(rec["exif_taken"], rec["exif_offset"], rec["exif_subsec"])
        if rec["exif_taken"]
        else None
    )
    source = "exif"
    if taken is None and rec.get("date_created"):
        try:
            taken = parse_date(_iso_from_iptc(rec["date_created"]))
            source = "metadata"
        except DateParseError:
            taken = None
    return taken.columns(source) if taken is not None else {}


def _iso_from_iptc(value: str) -> str:
    """IIM writes 2:55 as YYYYMMDD; XMP as ISO 8601, possibly with a time we drop here."""
    value = value.strip()
    if len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value[:10] if len(value) > 10 and value[10] == "T" else value


def _classify(path: Path) -> tuple[str, int, int] | str:
    """(family, size, mtime) for an image to read, "skip" for a non-image, or a problem reason."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return "skip"  # a pipe or device would block the batch on open()
        with open(path, "rb") as f:
            head = f.read(HEAD_SIZE)
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    named_like_image = path.suffix.casefold() in IMAGE_SUFFIXES
    if st.st_size == 0:
        return "empty file (0 bytes)" if named_like_image else "skip"
    family = sniff(head)
    if family is None:
        if named_like_image:
            return f"named like an image ({path.suffix}) but its contents are not one"
        return "skip"
    return family, st.st_size, st.st_mtime_ns


def import_paths(
    catalog: Catalog,
    paths: list[str],
    options: ImportOptions | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ImportSummary:
    options = options or ImportOptions()
    started = time.monotonic()
    db = catalog.db
    archive = catalog.archive
    run_id = runs.start_run(db, [str(p) for p in paths], "copy" if options.copy else "in-place")
    batch = _Batch(catalog, options, run_id)
    summary = batch.summary
    report = progress or (lambda _p: None)
    cancelled = cancel or (lambda: False)

    files = list(scan(paths, exclude=archive.root, on_error=batch.problem))
    if options.notes:
        batch.assign_notes([str(f) for f in files])
    total = len(files)
    done = 0
    jobs: list[Job] = []
    for path in files:
        if cancelled():
            break
        key = str(path)
        outcome = _classify(path)
        if outcome == "skip":
            summary.skipped += 1
        elif isinstance(outcome, str):
            batch.problem(key, outcome)
        else:
            _family, size, mtime_ns = outcome
            known_id = runs.known_file(db, display_path(key), size, mtime_ns)
            if known_id is not None:
                batch.known(key, known_id)
            else:
                jobs.append(
                    Job(
                        path=key,
                        size=size,
                        mtime_ns=mtime_ns,
                        archive=archive,
                        copy=options.copy,
                        default_lang=batch.lang,
                    )
                )
                continue
        done += 1
        report(ImportProgress(done, total, display_path(key), "checked"))

    def on_result(result: Inspected) -> None:
        nonlocal done
        outcome = batch.store(result)
        done += 1
        report(ImportProgress(done, total, display_path(result.path), outcome))

    if jobs and not cancelled():
        _run_jobs(jobs, options.workers or os.cpu_count() or 1, on_result, cancelled)

    summary.cancelled = cancelled()
    summary.seconds = round(time.monotonic() - started, 3)
    runs.finish_run(
        db,
        run_id,
        "cancelled" if summary.cancelled else "finished",
        {k: getattr(summary, k) for k in ("added", "duplicates", "skipped", "failed")},
    )
    return summary


def _run_jobs(
    jobs: list[Job],
    workers: int,
    on_result: Callable[[Inspected], None],
    cancelled: CancelCheck,
    work: Callable[[Job], Inspected] = inspect,
) -> None:
    """Feed jobs to a process pool with a bounded window; hand results back in order.

    A file that crashes its decoder takes the worker (and the pool) with it:
    the files in flight are then retried one at a time in a fresh pool, so the
    culprit is named and the rest still import.
    """
    workers = max(1, min(workers, len(jobs)))
    window = workers * 4  # bounded: memory stays flat whatever the batch size
    pending = deque(jobs)
    suspects: deque[Job] = deque()
    pool = _pool(workers)
    try:
        inflight: deque[tuple[Job, Future[Inspected]]] = deque()
        while pending or inflight or suspects:
            if suspects and not inflight:
                job = suspects.popleft()
                on_result(_isolated(pool, job, work))
                if not _healthy(pool):
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = _pool(workers)
                continue
            while pending and len(inflight) < window and not suspects and not cancelled():
                job = pending.popleft()
                inflight.append((job, pool.submit(work, job)))
            if not inflight:
                break
            job, future = inflight.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                suspects.extend([job] + [j for j, _ in inflight])
                inflight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _pool(workers)
                continue
            on_result(result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _isolated(pool: ProcessPoolExecutor, job: Job, work: Callable[[Job], Inspected]) -> Inspected:
    try:
        return pool.submit(work, job).result()
    except BrokenProcessPool:
        return Inspected(
            path=job.path,
            size=job.size,
            mtime_ns=job.mtime_ns,
            status="problem",
            reason="the image decoder crashed on this file",
        )


def _healthy(pool: ProcessPoolExecutor) -> bool:
    return not getattr(pool, "_broken", False)
