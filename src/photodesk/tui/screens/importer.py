"""Import from the UI: pick a folder, watch it import, cancel if needed, read the summary.

The import runs in a thread worker with its own catalog connection; the same
progress and cancel callbacks the CLI's progress bar uses carry the count back
and the cancel request in. The photos it catalogues reach the screen that
opened it in batches (`Rows`), so the table fills while the thumbnails are
still being made, and previews sharpen as they are.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from multiprocessing import resource_tracker
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Label, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from photodesk.catalog import Catalog
from photodesk.ingest import ImportProgress, ImportSummary, import_paths
from photodesk.tui import actions
from photodesk.tui.text import plain

if TYPE_CHECKING:
    from photodesk.tui.app import PhotodeskApp


class Progressed(Message):
    """How far the import has got; a burst of these collapses to the latest."""

    def __init__(self, progress: ImportProgress, counts: dict[str, int]) -> None:
        super().__init__()
        self.progress = progress
        self.counts = counts

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Progressed)


class Rows(Message):
    """Photos catalogued (phase "catalogue") or given their real thumbnail ("thumbnails")."""

    def __init__(self, photo_ids: list[int], phase: str) -> None:
        super().__init__()
        self.photo_ids = photo_ids
        self.phase = phase


# A batch of rows goes to the table this often at most: each costs a reload of its page.
ROWS_EVERY_SECONDS = 0.3

RowsCallback = Callable[[list[int], str], None]


class Finished(Message):
    def __init__(self, summary: ImportSummary) -> None:
        super().__init__()
        self.summary = summary


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real stderr.

    The import's process pool needs it, and it hands its child sys.stderr's file
    descriptor: under Textual that is a capture whose fileno() is -1, and the
    spawn fails ("bad value(s) in fds_to_keep"). Started once, it is reused.
    """
    with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
        resource_tracker.ensure_running()


class ImportScreen(ModalScreen[ImportSummary | None]):
    BINDINGS = actions.bindings("import")

    def __init__(self, start: Path | None = None, on_rows: RowsCallback | None = None) -> None:
        super().__init__()
        self.start = start or Path.cwd()
        self.rows_to = on_rows
        self.summary: ImportSummary | None = None
        self.running = False

    @property
    def desk(self) -> PhotodeskApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Import a folder of photos (recursively)")
            yield Input(str(self.start), id="folder")
            yield DirectoryTree(self.start, id="tree")
            yield ProgressBar(id="progress", show_eta=True)
            yield Static(id="counts", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Import", id="start", variant="primary")
                yield Button("Cancel", id="stop")

    @on(DirectoryTree.DirectorySelected)
    def picked(self, event: DirectoryTree.DirectorySelected) -> None:
        self.query_one("#folder", Input).value = str(event.path)

    @on(Button.Pressed, "#start")
    @on(Input.Submitted, "#folder")
    def start_import(self) -> None:
        folder = Path(self.query_one("#folder", Input).value).expanduser()
        if self.running:
            return
        if not folder.exists():
            self.query_one("#counts", Static).update(plain(f"{folder} does not exist"))
            return
        self.running = True
        self.query_one("#start", Button).disabled = True
        _start_resource_tracker()
        self.run_import(folder)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def run_import(self, folder: Path) -> None:
        worker = get_current_worker()
        counts = {"added": 0, "duplicate": 0, "failed": 0, "skipped": 0, "thumbnail": 0}
        batch: list[int] = []
        phase = "catalogue"
        sent = time.monotonic()

        def flush() -> None:
            nonlocal sent
            if batch:
                self.post_message(Rows(list(batch), phase))
                batch.clear()
            sent = time.monotonic()

        def report(progress: ImportProgress) -> None:
            nonlocal phase
            if progress.outcome in counts:
                counts[progress.outcome] += 1
            if progress.phase != phase:
                flush()
                phase = progress.phase
            if progress.photo_id is not None and progress.outcome in ("added", "thumbnail"):
                batch.append(progress.photo_id)
            if time.monotonic() - sent >= ROWS_EVERY_SECONDS:
                flush()
            self.post_message(Progressed(progress, dict(counts)))

        with Catalog.open(self.desk.archive) as catalog:  # this thread's own connection
            summary = import_paths(
                catalog, [str(folder)], progress=report, cancel=lambda: worker.is_cancelled
            )
        flush()
        self.post_message(Finished(summary))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # StateChanged does not bubble to the app: a failed import is reported here.
        if event.worker.group == "import" and event.state == WorkerState.ERROR:
            self.running = False
            self.query_one("#start", Button).disabled = False
            error = event.worker.error
            reason = str(error) or type(error).__name__
            self.query_one("#counts", Static).update(plain(f"import failed: {reason}"))

    def on_rows(self, message: Rows) -> None:
        if self.rows_to is not None:
            self.rows_to(message.photo_ids, message.phase)

    def on_progressed(self, message: Progressed) -> None:
        bar = self.query_one(ProgressBar)
        p, c = message.progress, message.counts
        bar.update(total=p.total, progress=p.done)
        if p.phase == "thumbnails":
            text = f"thumbnails {p.done} of {p.total} (every photo is catalogued: browse away)"
        else:
            text = (
                f"{p.done} of {p.total}: added {c['added']}, "
                f"already in the archive {c['duplicate']}, failed {c['failed']}"
            )
        self.query_one("#counts", Static).update(plain(text))

    def on_finished(self, message: Finished) -> None:
        self.running = False
        self.summary = s = message.summary
        lines = [
            f"added {s.added}, already in the archive {s.duplicates}, skipped {s.skipped}, "
            f"failed {s.failed} ({s.seconds:.1f} s)" + (" — cancelled" if s.cancelled else ""),
            *(
                [f"{s.thumbnails_pending} thumbnails still to make: import again to finish them"]
                if s.thumbnails_pending
                else []
            ),
            *(f"failed: {p['path']}: {p['reason']}" for p in s.problems[:20]),
            *(f"warning: {w['path']}: {w['reason']}" for w in s.warnings[:20]),
        ]
        self.query_one("#counts", Static).update(plain("\n".join(lines)))
        self.query_one("#stop", Button).label = "Close"

    @on(Button.Pressed, "#stop")
    def stop(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if self.running:
            self.workers.cancel_group(self, "import")  # the import stops between files
            self.notify("cancelling after the file in hand…")
            return
        self.dismiss(self.summary)
