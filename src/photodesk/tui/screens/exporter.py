"""Export from the UI: the current selection, search, filter or story, in any registered format.

The formats come from the exporter registry (`photodesk.export.FORMATS` for
caption sheets, `FILE_EXPORTS` for publish copies and sidecars), so the
dialog offers what the CLI offers. The export runs in a thread worker with
its own catalog connection; progress comes back by message and Cancel stops
it between photos.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static
from textual.worker import Worker, WorkerState, get_current_worker

from photodesk import export
from photodesk.catalog import Catalog
from photodesk.export import sheet
from photodesk.export.selection import select
from photodesk.tui import actions
from photodesk.tui.text import plain

if TYPE_CHECKING:
    from photodesk.tui.app import PhotodeskApp


@dataclass(frozen=True)
class Choice:
    """What to export, as the browse screen knows it: a story by name, or photo ids."""

    label: str
    story: str | None = None
    ids: tuple[int, ...] = ()


class Progressed(Message):
    def __init__(self, done: int, total: int | None, what: str) -> None:
        super().__init__()
        self.done, self.total, self.what = done, total, what

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Progressed)


class Finished(Message):
    def __init__(self, path: Path, lines: list[str]) -> None:
        super().__init__()
        self.path, self.lines = path, lines


class ExportScreen(ModalScreen[Path | None]):
    BINDINGS = actions.bindings("export")

    def __init__(self, choices: list[Choice]) -> None:
        super().__init__()
        self.choices = choices
        self.result: Path | None = None
        self.running = False
        self._suggested = ""

    @property
    def desk(self) -> PhotodeskApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        kinds = [(f.label, f.name) for f in export.FORMATS.values()]
        kinds += [(f.label, f.name) for f in export.FILE_EXPORTS.values()]
        with Vertical(classes="dialog"):
            yield Label("Export what")
            yield Select(
                [(plain(c.label, True), i) for i, c in enumerate(self.choices)],
                value=0,
                allow_blank=False,
                id="what",
            )
            yield Label("as")
            yield Select(kinds, value="html", allow_blank=False, id="format")
            yield Label("caption language (sheets; copies and sidecars carry every language)")
            yield Input(self.desk.lang, placeholder="language of the captions", id="lang")
            yield Label("to (a file for a sheet, a folder for copies and sidecars)")
            yield Input(id="out", placeholder="file or folder to write")
            yield ProgressBar(id="progress", show_eta=False)
            yield Static(id="outcome", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Export", id="start", variant="primary")
                yield Button("Cancel", id="stop")

    def on_mount(self) -> None:
        self._suggest_path()

    @on(Select.Changed)
    def _suggest_path(self) -> None:
        """A name from what is exported, in the folder the app was started in.

        A path the user typed is kept; only its suffix follows the format.
        """
        if self.running:
            return
        choice = self.choices[int(self.query_one("#what", Select).value)]  # type: ignore[arg-type]
        fmt = str(self.query_one("#format", Select).value)
        suffix = export.FORMATS[fmt].suffix if fmt in export.FORMATS else ""
        box = self.query_one("#out", Input)
        typed = box.value.strip()
        if typed and typed != self._suggested:
            path = Path(typed)
            known = {f.suffix for f in export.FORMATS.values()}
            box.value = str(path.with_suffix(suffix) if path.suffix in known else path)
            return
        stem = sheet.file_stem(choice.story or choice.label)
        box.value = self._suggested = str(Path.cwd() / (stem + suffix))

    @on(Button.Pressed, "#start")
    @on(Input.Submitted)
    def start(self) -> None:
        if self.running:
            return
        out = Path(self.query_one("#out", Input).value.strip()).expanduser()
        if not str(out).strip():
            self.query_one("#outcome", Static).update(plain("say where to write the export"))
            return
        choice = self.choices[int(self.query_one("#what", Select).value)]  # type: ignore[arg-type]
        fmt = str(self.query_one("#format", Select).value)
        lang = self.query_one("#lang", Input).value.strip() or None
        self.running = True
        self.query_one("#start", Button).disabled = True
        self.query_one("#outcome", Static).update(plain("exporting…"))
        self.run_export(choice, fmt, lang, out)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def run_export(self, choice: Choice, fmt: str, lang: str | None, out: Path) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int | None, what: str = "") -> None:
            self.post_message(Progressed(done, total, what))

        with Catalog.open(self.desk.archive) as catalog:  # this thread's own connection
            chosen = select(catalog, story=choice.story, ids=list(choice.ids) or None)
            if fmt in export.FORMATS:
                progress(0, None, "reading the photos")
                made = sheet.build(catalog, chosen, lang)
                progress(0, None, f"writing {len(made.items)} items")
                export.write_sheet(made, fmt, out)
                lines = [f"wrote {out}: {made.summary}", *made.warnings]
            else:
                lines = export.FILE_EXPORTS[fmt].run(
                    catalog, chosen, out, progress, lambda: worker.is_cancelled
                )
        self.post_message(Finished(out, lines))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A worker's failure reaches its screen, not the app: say it here, keep the dialog.
        if event.worker.group == "export" and event.state == WorkerState.ERROR:
            self.running = False
            self.query_one("#start", Button).disabled = False
            error = event.worker.error
            reason = str(error) or type(error).__name__
            self.query_one("#outcome", Static).update(plain(f"export failed: {reason}"))

    def on_progressed(self, message: Progressed) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)
        if message.what:
            self.query_one("#outcome", Static).update(plain(message.what))

    def on_finished(self, message: Finished) -> None:
        self.running = False
        self.result = message.path
        bar = self.query_one(ProgressBar)
        bar.update(total=1, progress=1)
        self.query_one("#outcome", Static).update(plain("\n".join(message.lines[:20])))
        self.query_one("#stop", Button).label = "Close"
        self.query_one("#start", Button).disabled = False

    @on(Button.Pressed, "#stop")
    def stop(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if self.running:
            self.workers.cancel_group(self, "export")  # stops between photos
            self.notify("cancelling after the photo in hand…")
            return
        self.dismiss(self.result)
