"""The photodesk terminal app: a small shell that holds the archive, the filter and the screens."""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Iterable
from dataclasses import asdict, fields
from typing import Any

from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from photodesk.catalog import Catalog, browse
from photodesk.config import Archive
from photodesk.files import write_atomic
from photodesk.text import for_terminal
from photodesk.tui import actions
from photodesk.tui.screens.dialogs import ErrorDialog

# Imported before the app runs, never from inside it: textual-image asks the
# terminal what graphics it supports as it loads, and once Textual owns the
# terminal's input that question would wait for an answer that never comes.
from photodesk.tui.widgets import preview  # noqa: F401

STATE_FILE = "ui-state.json"  # in the archive: the last filter and photo, between runs
# The filter as the user gave it; ids and date bounds are worked out again on load.
REMEMBERED = (
    "story_name",
    "since_text",
    "until_text",
    "kind",
    "status",
    "missing_lang",
    "unpaired",
)


class PhotodeskApp(App[None]):
    TITLE = "photodesk"
    CSS_PATH = "app.tcss"
    BINDINGS = actions.bindings("app")

    def __init__(self, archive: Archive) -> None:
        super().__init__()
        self.archive = archive
        self.catalog = Catalog.open(archive, create=True)  # the UI thread's connection
        self.lang = self.catalog.default_language
        self.state: dict[str, Any] = self._load_state()
        self.filter = self._filter_from_state()
        self.before_id: int | None = None

    # -- state kept between runs -------------------------------------------------------

    def _load_state(self) -> dict[str, Any]:
        try:
            loaded = json.loads((self.archive.root / STATE_FILE).read_text())
        except (OSError, ValueError):
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def _filter_from_state(self) -> browse.BrowseFilter:
        saved = self.state.get("filter") or {}
        known = {f.name for f in fields(browse.BrowseFilter)}
        try:
            return browse.BrowseFilter(**{k: v for k, v in saved.items() if k in known})
        except TypeError:
            return browse.BrowseFilter()

    def save_state(self) -> None:
        saved = asdict(self.filter)
        self.state["filter"] = {k: saved[k] for k in REMEMBERED}
        with contextlib.suppress(OSError):  # remembering is a comfort, never a reason to fail
            write_atomic(self.archive.root / STATE_FILE, json.dumps(self.state).encode())

    # -- screens ---------------------------------------------------------------------

    def on_mount(self) -> None:
        from photodesk.tui.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen())

    def on_ready(self) -> None:
        # Everything built so far (Textual's widgets, styles, the first rows) lives
        # as long as the app. Left to the collector, each full collection walks it
        # all again and stalls a keystroke by 30 ms or more; frozen, it is skipped.
        gc.freeze()

    def on_unmount(self) -> None:
        self.save_state()
        self.catalog.close()

    def open_editor(self, photo_id: int) -> None:
        from photodesk.tui.screens.editor import EditorScreen

        self.push_screen(EditorScreen(photo_id), lambda _: self._back_to_browse())

    def open_pair(self, pair_id: int) -> None:
        from photodesk.tui.screens.pairs import PairScreen

        self.push_screen(PairScreen(pair_id), lambda _: self._back_to_browse())

    def _back_to_browse(self) -> None:
        from photodesk.tui.screens.browse import BrowseScreen

        for screen in self.screen_stack:
            if isinstance(screen, BrowseScreen):
                screen.reload()

    def show_error(self, message: str) -> None:
        self.push_screen(ErrorDialog(message))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Every toast of every screen comes here; warnings quote what the desk typed
        # (codes, dates, names), so no message is ever read as markup or escapes.
        super().notify(
            for_terminal(message), title=title, severity=severity, timeout=timeout, markup=False
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A worker's failure is shown, never allowed to take the app down.
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.show_error(str(event.worker.error) or type(event.worker.error).__name__)

    # -- help and the command palette -----------------------------------------------

    def action_help(self) -> None:
        from photodesk.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        where = getattr(screen, "ACTIONS_WHERE", "browse")
        for action in actions.palette(where):
            target = self if action.where == "app" else screen
            method = getattr(target, f"action_{action.id}", None)
            if method is not None:
                yield SystemCommand(action.palette, action.label, method)
        yield from super().get_system_commands(screen)
