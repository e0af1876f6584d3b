"""Batch import: scan → read (in worker processes) → store, one transaction per file.

Two phases. First, workers read each file once and do everything that needs
its bytes but not its pixels (hash, metadata, embedded preview, archived
copy); this process owns the catalog and writes each file's rows in one
transaction, in scan order, so the whole batch is listed and searchable in a
fraction of the import's time. Then the same workers decode every photo whose
thumbnail is still pending (`finishing`). A kill at any moment leaves whole
files or none; the next run skips what is stored (by path, size and mtime),
finishes the rest, and makes the thumbnails still missing.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from photodesk.catalog import Catalog, photos, thumbs
from photodesk.catalog import imports as runs
from photodesk.config import Budgets
from photodesk.files import source_key
from photodesk.ingest import finishing, pool
from photodesk.ingest.notes import Notes
from photodesk.ingest.pool import CancelCheck, ImportProgress, ProgressCallback
from photodesk.ingest.scan import classify, scan
from photodesk.ingest.store import ImportSummary, Store
from photodesk.ingest.worker import Inspected, Job
from photodesk.text import display_path

__all__ = [
    "CancelCheck",
    "ImportOptions",
    "ImportProgress",
    "ImportSummary",
    "ProgressCallback",
    "import_paths",
]


@dataclass
class ImportOptions:
    copy: bool = True
    story: str | None = None
    notes: Notes | None = None
    workers: int | None = None  # default: one per core
    follow_links: bool = False  # symbolic links that lead outside the imported folders
    budgets: Budgets | None = None  # what one file may cost; None: the defaults and environment's


def _files_missing(catalog: Catalog, photo_id: int) -> bool:
    row = photos.row(catalog.db, photo_id)
    return row is not None and bool(catalog.missing_files(row))


def import_paths(
    catalog: Catalog,
    paths: list[str],
    options: ImportOptions | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> ImportSummary:
    """Import files and folders; `progress` hears of every file, `cancel` stops between files."""
    options = options or ImportOptions()
    started = time.monotonic()
    run_id = runs.start_run(
        catalog.db, [str(p) for p in paths], "copy" if options.copy else "in-place"
    )
    store = Store(catalog, run_id, options.notes, options.story)
    report = progress or (lambda _p: None)
    cancelled = cancel or (lambda: False)

    files = list(
        scan(
            paths,
            exclude=catalog.archive.root,
            on_error=store.problem,
            follow_links=options.follow_links,
            on_skip=store.warning,
        )
    )
    store.assign_notes([str(f) for f in files])
    jobs, done = _checked(catalog, store, files, options, report, cancelled)

    names: dict[int, str] = {}  # this run's photos by id: their files, as problems name them

    def on_result(result: Inspected) -> None:
        nonlocal done
        outcome = store.store(result)
        for reason in result.warnings:
            store.warning(result.path, reason)
        done += 1
        photo_id = store.summary.photo_ids[-1] if outcome in ("added", "duplicate") else None
        if photo_id is not None:
            names[photo_id] = result.path
        shown = display_path(result.path)
        report(ImportProgress(done, len(files), shown, outcome, photo_id=photo_id))

    workers = options.workers or os.cpu_count() or 1
    try:
        # One crew for both phases; started only when there is something to read,
        # and no larger than either phase needs.
        with contextlib.ExitStack() as stack:
            crew: pool.Crew | None = None

            def hired(files: int) -> pool.Crew:
                nonlocal crew
                if crew is None:
                    size = max(1, min(workers, files))
                    crew = stack.enter_context(pool.crew(size, options.budgets))
                return crew

            if jobs and not cancelled():
                # The second phase takes this run's photos and any left pending before.
                hired(len(jobs) + thumbs.pending_count(catalog.db)).run(jobs, on_result, cancelled)
            if not cancelled():
                _thumbnails(catalog, store, names, hired, report, cancelled)
    except KeyboardInterrupt:
        # Ctrl-C, and the SIGTERM or SIGHUP the CLI turns into one: the workers are
        # stopped by now, and the run says at once that it did not finish.
        runs.finish_run(catalog.db, run_id, "interrupted", _counts(store.summary))
        raise

    store.finish_notes()
    summary = store.summary
    summary.cancelled = cancelled()
    summary.thumbnails_pending = thumbs.pending_count(catalog.db)  # left by a cancel, or no decoder
    summary.seconds = round(time.monotonic() - started, 3)
    runs.finish_run(
        catalog.db,
        run_id,
        "cancelled" if summary.cancelled else "finished",
        _counts(summary),
    )
    return summary


def _thumbnails(
    catalog: Catalog,
    store: Store,
    names: dict[int, str],
    hired: Callable[[int], pool.Crew],
    report: ProgressCallback,
    cancelled: CancelCheck,
) -> None:
    """The second phase: every pending thumbnail in the catalog, this run's and any left before."""
    jobs = finishing.jobs(catalog, store.lang)
    if not jobs:
        return
    finisher = finishing.Finisher(catalog, store, names)
    made = 0

    def on_result(result: Inspected) -> None:
        nonlocal made
        outcome = finisher.finished(result)
        made += 1
        photo_id = result.record.get("photo_id")
        shown = display_path(names.get(photo_id or 0, result.path))
        report(ImportProgress(made, len(jobs), shown, outcome, "thumbnails", photo_id))

    hired(len(jobs)).run(jobs, on_result, cancelled)


def _counts(summary: ImportSummary) -> dict[str, int]:
    return {k: getattr(summary, k) for k in ("added", "duplicates", "skipped", "failed")}


def _checked(
    catalog: Catalog,
    store: Store,
    files: list[Path],
    options: ImportOptions,
    report: ProgressCallback,
    cancelled: CancelCheck,
) -> tuple[list[Job], int]:
    """Settle what needs no reading (non-images, problems, files seen before).

    Returns the files left to read, as jobs, and how many were settled.
    """
    jobs: list[Job] = []
    settled = 0
    for path in files:
        if cancelled():
            break
        key = str(path)
        found = classify(path)
        if found == "skip":
            store.skip(key)
        elif isinstance(found, str):
            store.problem(key, found)
        else:
            known_id = runs.known_file(catalog.db, source_key(key), found.size, found.mtime_ns)
            if known_id is not None and _files_missing(catalog, known_id):
                known_id = None  # read it again: its bytes restore what the archive lost
            if known_id is None:
                jobs.append(
                    Job(key, found.size, found.mtime_ns, catalog.archive, options.copy, store.lang)
                )
                continue
            store.known(key, known_id)
        settled += 1
        report(ImportProgress(settled, len(files), display_path(key), "checked"))
    return jobs, settled
