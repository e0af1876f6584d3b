"""Commands for getting photos in and looking at them: import, list, show."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import click

from photodesk.catalog import photos as photo_rows
from photodesk.cli.archive import Mistake, open_catalog
from photodesk.cli.options import (
    FIELD_LIST,
    LANGUAGE,
    LANGUAGES,
    PHOTO_ID,
    filter_options,
    make_filter,
    resolve_filter,
)
from photodesk.cli.output import (
    PROOF_FIELDS,
    emit_json,
    print_photo,
    print_proof,
    proof_photos,
    rows_or_json,
    told_capped,
)
from photodesk.cli.progress import progress_bar
from photodesk.config import (
    MAX_FILE_SIZE_ENV,
    MEMORY_BUDGET_ENV,
    TIME_BUDGET_ENV,
    Budgets,
    parse_seconds,
    parse_size,
)
from photodesk.errors import PhotodeskError
from photodesk.ingest import ImportOptions, ImportProgress, ImportSummary, import_paths
from photodesk.ingest.notes import load_notes
from photodesk.text import for_terminal

# -- import ------------------------------------------------------------------


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--story", help="Add every photo of the batch to this story (created if new).")
@click.option(
    "--captions",
    "captions_file",
    type=click.Path(exists=True, dir_okay=False),
    help="The partner's notes: CSV or JSON, file name → caption, headline, date, place, credit.",
)
@click.option(
    "--copy/--in-place",
    "copy",
    default=True,
    show_default=True,
    help="Copy originals into the archive, or record where they are.",
)
@click.option("--workers", type=click.IntRange(1, 64), help="Worker processes (default: cores).")
@click.option(
    "--follow-links",
    is_flag=True,
    help="Also import what symbolic links outside the imported folders lead to.",
)
@click.option(
    "--time-budget",
    metavar="SECONDS",
    help=f"Longest one step of reading one file may take (default 60; ${TIME_BUDGET_ENV}).",
)
@click.option(
    "--memory-budget",
    metavar="SIZE",
    help=f"Most memory a worker may use for one file (default 2G; ${MEMORY_BUDGET_ENV}).",
)
@click.option(
    "--max-file-size",
    metavar="SIZE",
    help=f"Larger files are problems, not read (default 512M; ${MAX_FILE_SIZE_ENV}).",
)
@click.option(
    "-v", "--verbose", is_flag=True, help="Also name the skipped files (--json always does)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def import_cmd(
    ctx: click.Context,
    paths: tuple[str, ...],
    story: str | None,
    captions_file: str | None,
    copy: bool,
    workers: int | None,
    follow_links: bool,
    time_budget: str | None,
    memory_budget: str | None,
    max_file_size: str | None,
    verbose: bool,
    as_json: bool,
) -> None:
    """Import image files and folders (recursively) into the archive.

    With --captions, notes fill what the catalog does not have yet; what they
    change on photos already in the archive is one change set (history, undo).
    """
    try:
        notes = load_notes(captions_file) if captions_file else None
        budgets = Budgets.from_env(
            seconds=parse_seconds(time_budget) if time_budget else None,
            memory=parse_size(memory_budget) if memory_budget else None,
            file_size=parse_size(max_file_size) if max_file_size else None,
        )
    except PhotodeskError as exc:
        raise click.UsageError(str(exc)) from exc
    options = ImportOptions(
        copy=copy,
        story=story,
        notes=notes,
        workers=workers,
        follow_links=follow_links,
        budgets=budgets,
    )
    with open_catalog(ctx, create=True) as catalog, _progress(enabled=not as_json) as report:
        try:
            with _stop_on_signals():
                summary = import_paths(catalog, list(paths), options, progress=report)
        except KeyboardInterrupt as exc:
            with suppress(OSError):  # after a hang-up there may be no terminal to tell
                click.echo("import interrupted; run the same command again to finish it", err=True)
            sys.exit(128 + exc.signum if isinstance(exc, _Stopped) else 130)
    if as_json:
        emit_json(summary.as_dict())
    else:
        _print_summary(summary, verbose)
    sys.exit(1 if summary.failed else 0)


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, taken as Ctrl-C is."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Within: SIGTERM and SIGHUP stop the import as Ctrl-C does (workers stopped, run marked)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    caught = (signal.SIGTERM, signal.SIGHUP)

    def stop(signum: int, _frame: object) -> None:
        for sig in caught:  # once: a second signal must not cut the stopping short
            signal.signal(sig, signal.SIG_IGN)
        raise _Stopped(signum)

    previous = {sig: signal.signal(sig, stop) for sig in caught}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[ImportProgress], None]]:
    """The shared progress bar, saying which phase the import is in."""
    with progress_bar("cataloguing", enabled) as bar:
        yield lambda p: bar(
            p.done, p.total, "making thumbnails" if p.phase == "thumbnails" else "cataloguing"
        )


def _print_summary(s: ImportSummary, verbose: bool = False) -> None:
    click.echo(
        f"added {s.added}, already in the archive {s.duplicates}, "
        f"skipped {s.skipped}, failed {s.failed} ({s.seconds:.1f} s)"
    )
    if s.notes is not None:
        n = s.notes
        click.echo(
            f"notes: applied {n.applied}, conflicting {n.conflicting}, skipped {n.skipped}, "
            f"already in the catalog {n.unchanged}"
        )
    if s.notes_change_set is not None:
        click.echo(
            f"  notes changed photos already in the archive: change set {s.notes_change_set} "
            "(photodesk history; photodesk undo reverts it)"
        )
    if verbose:
        for path in s.skipped_files:
            click.echo(f"  skipped: {for_terminal(path, single_line=True)}: not an image")
    elif s.skipped_files:
        click.echo("  (-v names the skipped files)")
    for p in s.problems:
        click.echo(f"  failed: {for_terminal(p['path'])}: {for_terminal(p['reason'])}")
    for w in s.warnings:
        click.echo(f"  warning: {for_terminal(w['path'])}: {for_terminal(w['reason'])}")
    if s.thumbnails_pending:
        click.echo(
            f"{s.thumbnails_pending} thumbnails still to make (every photo is catalogued; "
            "the next import, or the same command again, makes them)"
        )
    if s.cancelled:
        click.echo("cancelled before the end; run the same command again to finish")


# -- list / show -------------------------------------------------------------


@click.command("list")
@filter_options(limit=None)
@click.option(
    "--lang",
    type=LANGUAGES,
    help="Caption language to show (default: the archive's); with --full, several: en,ko.",
)
@click.option("--full", is_flag=True, help="Proofread: headline, caption, credit, date, places.")
@click.option(
    "--fields",
    type=FIELD_LIST,
    help="With --full (implied), these fields instead: headline,caption,credit…",
)
@click.option(
    "--date-conflicts",
    is_flag=True,
    help="Only photos whose date leaves out the camera's (show PHOTO_ID gives both).",
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_cmd(
    ctx: click.Context,
    lang: list[str] | None,
    full: bool,
    fields: tuple[str, ...] | None,
    date_conflicts: bool,
    as_json: bool,
    **filters: Any,
) -> None:
    """List photos: id, file, date, place, first words of the caption.

    --full shows each photo's fields for proofreading, languages side by side.
    """
    full = full or fields is not None
    if lang and len(lang) > 1 and not full:
        raise Mistake("several languages need --full (list --full --lang en,ko)")
    flt = make_filter(filters, photo_rows.PhotoFilter)
    with open_catalog(ctx) as catalog:
        langs = lang or [catalog.default_language]
        resolve_filter(catalog, flt, filters, langs[0])
        flt.date_conflicts = date_conflicts
        rows = photo_rows.listing(catalog.db, langs[0], flt)
        shown = len(rows)
        total = photo_rows.count(catalog.db, flt) if flt.limit or flt.offset else shown
        if full and not as_json:
            print_proof(
                proof_photos(catalog, [r["id"] for r in rows], langs),
                langs,
                fields or PROOF_FIELDS,
            )
            rows = []
    if not full or as_json:
        rows_or_json(rows, as_json)
    told_capped(shown, flt.offset, total)


@click.command("show")
@click.argument("photo_id", type=PHOTO_ID)
@click.option("--lang", type=LANGUAGE, help="Caption language shown first.")
@click.option("--all", "everything", is_flag=True, help="Also hashes, internal ids and paths.")
@click.option("--json", "as_json", is_flag=True, help="Everything, as JSON.")
@click.pass_context
def show_cmd(
    ctx: click.Context, photo_id: int, lang: str | None, everything: bool, as_json: bool
) -> None:
    """Show what the catalog knows about one photo, grouped: caption, date, places, source."""
    with open_catalog(ctx) as catalog:
        shown_lang = lang or catalog.default_language
        photo = photo_rows.get(catalog.db, photo_id, shown_lang)
        if photo is not None:
            photo["missing"] = catalog.missing_files(photo)
            with_places = proof_photos(catalog, [photo_id], [shown_lang])
    if photo is None:
        raise click.ClickException(f"no photo with id {photo_id}")
    if as_json:
        emit_json(photo)
        return
    for key, value in with_places[0].items():
        if key.endswith("_row"):
            photo[key] = value
    print_photo(photo, shown_lang, everything)
