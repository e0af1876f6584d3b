"""The browse screen: the photo table beside a preview, a search box, the current filter."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from photodesk.catalog import Catalog, browse, edits, history, search, stories
from photodesk.errors import PhotodeskError
from photodesk.tui import actions
from photodesk.tui.text import plain
from photodesk.tui.widgets.photo_table import PhotoTable
from photodesk.tui.widgets.preview import Preview

if TYPE_CHECKING:
    from photodesk.tui.app import PhotodeskApp

# A debounce on the leading edge: a change after SEARCH_DELAY seconds of quiet
# (a typist's next key, a paste) searches at once; changes closer together (key
# repeat, a burst) wait until the typing has been quiet that long and search
# once. A newer query interrupts an older one's SQL, so searching each prefix
# costs little: the query takes about 4 ms and drawing the table about 30 ms of
# the 100 ms a keystroke may take on 100,000 photos (bench/tui_bench.py).
SEARCH_DELAY = 0.03
SEARCH_LIMIT = 100
PREVIEW_DELAY = 0.04  # the preview follows the cursor once it rests: scrolling stays quick


class BrowseScreen(Screen[None]):
    BINDINGS = actions.bindings("browse")
    AUTO_FOCUS = "#photos"

    def __init__(self) -> None:
        super().__init__()
        self._search_timer: Timer | None = None
        self._last_typed = 0.0
        self._preview_timer: Timer | None = None
        self._total: int | None = None
        self._searching: Catalog | None = None  # the running search's connection
        self.query_text = ""

    @property
    def desk(self) -> PhotodeskApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="status", markup=False)
        yield Input(placeholder="/ search captions, places, file names…", id="search")
        with Horizontal(id="main"):
            yield PhotoTable(lambda: self.desk.catalog, id="photos")
            with Vertical(id="side"):
                yield Preview(self.desk.archive, id="preview")
        yield Static(id="empty", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.reload(self.desk.state.get("photo_id"))

    # -- loading -------------------------------------------------------------------

    @property
    def table(self) -> PhotoTable:
        return self.query_one(PhotoTable)

    def reload(self, keep_id: int | None = None) -> None:
        """Fill the table for the current filter (or search), keeping a photo in view."""
        current = self.table.current
        keep = keep_id if keep_id is not None else (current["id"] if current else None)
        try:
            f = browse.resolve(self.desk.catalog.db, self.desk.filter)
        except PhotodeskError as exc:
            self.desk.show_error(str(exc))
            f = browse.BrowseFilter()
        if self.query_text:
            self.run_search(self.query_text)
        else:
            self.table.load(f, self.desk.lang, keep)
        self.show_status()

    def show_status(self, recount: bool = True) -> None:
        """The status line; a search's results reuse the photo count (it has not changed)."""
        if recount or self._total is None:
            self._total = browse.count(self.desk.catalog.db, browse.BrowseFilter())
        total = self._total
        shown = (
            f"{len(self.table.rows_shown)} matches for {self.query_text!r}"
            if self.query_text
            else self.desk.filter.words()
        )
        selected = f" · {len(self.table.selected)} selected" if self.table.selected else ""
        before = f" · before: photo {self.desk.before_id}" if self.desk.before_id else ""
        self.query_one("#status", Static).update(
            plain(f"{self.desk.archive.root} · {total} photos · {shown}{selected}{before}", True)
        )
        empty = self.query_one("#empty", Static)
        empty.display = total == 0
        if total == 0:
            empty.update(
                plain(
                    f"The archive at {self.desk.archive.root} is empty. "
                    "Press i to import a folder of photos."
                )
            )

    @on(PhotoTable.Highlighted)
    def show_photo(self, event: PhotoTable.Highlighted) -> None:
        if event.row is not None:
            self.desk.state["photo_id"] = event.row["id"]
        if self._preview_timer is not None:
            self._preview_timer.stop()
        row = event.row
        self._preview_timer = self.set_timer(PREVIEW_DELAY, lambda: self._preview(row))

    def _preview(self, row: dict[str, Any] | None) -> None:
        missing = self.desk.catalog.missing_files(row) if row else []
        self.query_one(Preview).show(row, missing)

    # -- search --------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def typed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self.query_text = event.value.strip()
        now = time.monotonic()
        quiet, self._last_typed = now - self._last_typed >= SEARCH_DELAY, now
        if quiet:
            self.run_search(self.query_text)
        else:
            self._search_timer = self.set_timer(
                SEARCH_DELAY, lambda: self.run_search(self.query_text)
            )

    @on(Input.Submitted, "#search")
    def searched(self) -> None:
        self.table.focus()

    def run_search(self, text: str) -> None:
        if self._searching is not None:
            # A newer query makes the older one's answer useless: stop its SQL now
            # rather than let it finish first (cancelling the worker only flags it).
            self._searching.interrupt()
        if not text or search.build_query(text) is None:
            self.query_text = ""
            self.table.load(self.table.filter, self.desk.lang)
            self.show_status()
            return
        self._search(text, self.desk.filter, self.desk.lang)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, text: str, f: browse.BrowseFilter, lang: str) -> None:
        worker = get_current_worker()
        catalog = Catalog.open_readonly(self.desk.archive)  # this thread's own, read-only
        if catalog is None or worker.is_cancelled:
            return
        self._searching = catalog
        try:
            with catalog:
                resolved = browse.resolve(catalog.db, f)
                sf = search.SearchFilter(
                    story_id=resolved.story_id,
                    since=resolved.since,
                    until=resolved.until,
                    kind=resolved.kind,
                    limit=SEARCH_LIMIT,
                )
                ids = search.search_ids(catalog.db, text, sf)
                if worker.is_cancelled:  # a newer query has taken over
                    return
                rows = browse.rows(catalog.db, ids, lang, resolved)
        except PhotodeskError:
            if worker.is_cancelled:  # interrupted by a newer query: not a failure
                return
            raise
        finally:
            if self._searching is catalog:
                self._searching = None
        self.app.call_from_thread(self._show_matches, text, rows)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A screen's workers report here, not to the app: a failed search is shown.
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.desk.show_error(f"search failed: {event.worker.error}")

    def _show_matches(self, text: str, rows: list[dict[str, Any]]) -> None:
        if text != self.query_text:
            return
        self.table.show_matches(rows)
        self.show_status(recount=False)

    # -- actions -------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_filter(self) -> None:
        from photodesk.tui.screens.dialogs import FilterDialog

        names = [s["name"] for s in stories.listing(self.desk.catalog.db)]

        def chosen(result: browse.BrowseFilter | None) -> None:
            if result is not None:
                self.desk.filter = result
                self.reload()

        dialog = FilterDialog(self.desk.filter, names, self.desk.filter.story_name)
        self.app.push_screen(dialog, chosen)

    def action_clear_filter(self) -> None:
        self.desk.filter = browse.BrowseFilter()
        self.query_text = ""
        self.query_one("#search", Input).value = ""
        self.reload()

    def action_refresh(self) -> None:
        self.reload()

    def action_edit(self) -> None:
        row = self.table.current
        if row is not None:
            self.desk.open_editor(row["id"])

    def on_data_table_row_selected(self) -> None:
        self.action_edit()

    def action_toggle_select(self) -> None:
        self.table.toggle()
        self.show_status()

    def _select_and_move(self, step: int) -> None:
        row = self.table.current
        if row is not None and row["id"] not in self.table.selected:
            self.table.toggle()
        self.table.neighbour(step)
        row = self.table.current
        if row is not None and row["id"] not in self.table.selected:
            self.table.toggle()
        self.show_status()

    def action_select_down(self) -> None:
        self._select_and_move(1)

    def action_select_up(self) -> None:
        self._select_and_move(-1)

    def action_select_all(self) -> None:
        """Every photo the filter (or search) shows, not only the rows on screen."""
        catalog = self.desk.catalog
        if self.table.fixed:
            self.table.selected = {r["id"] for r in self.table.rows_shown}
        else:
            f = browse.resolve(catalog.db, self.desk.filter)
            self.table.selected = set(browse.ids(catalog.db, f))
        self.reload()

    def action_batch(self) -> None:
        from photodesk.tui.screens.batch import BatchScreen

        chosen = sorted(self.table.selected) or (
            [self.table.current["id"]] if self.table.current else []
        )
        if chosen:
            self.app.push_screen(BatchScreen(chosen), lambda _: self.reload())

    def action_undo(self) -> None:
        done = edits.undo(self.desk.catalog.db, history.current_user())
        self.notify("nothing to undo" if done is None else f"undid change set {done[0]}")
        self.reload()

    def action_mark_before(self) -> None:
        row = self.table.current
        if row is not None:
            self.desk.before_id = row["id"]
            self.notify(f"photo {row['id']} marked as before; now mark its after with a")
            self.show_status()

    def action_mark_after(self) -> None:
        row = self.table.current
        if row is None:
            return
        if self.desk.before_id is None:
            self.notify("mark a before photo first (b)", severity="warning")
            return
        from photodesk import pairs  # loaded when first used: it brings Pillow and exiv2

        try:
            pair_id, warnings = pairs.create(self.desk.catalog, self.desk.before_id, row["id"])
        except PhotodeskError as exc:
            self.desk.show_error(str(exc))
            return
        for warning in warnings:
            self.notify(warning, severity="warning")
        self.desk.before_id = None
        self.reload()
        self.desk.open_pair(pair_id)

    def action_pairs(self) -> None:
        from photodesk.tui.screens.pairs import PairListScreen

        self.app.push_screen(PairListScreen(), lambda _: self.reload())

    def action_export(self) -> None:
        from photodesk.tui.screens.exporter import Choice, ExportScreen

        db, table = self.desk.catalog.db, self.table
        choices = []
        if table.selected:
            choices.append(
                Choice(
                    f"the {len(table.selected)} selected photos", ids=tuple(sorted(table.selected))
                )
            )
        if table.fixed and table.rows_shown:
            shown = tuple(r["id"] for r in table.rows_shown)
            choices.append(Choice(f"the {len(shown)} matches for {self.query_text!r}", ids=shown))
        if self.desk.filter.story_name:
            choices.append(
                Choice(f"story: {self.desk.filter.story_name}", story=self.desk.filter.story_name)
            )
        if self.desk.filter != browse.BrowseFilter():
            ids = tuple(browse.ids(db, browse.resolve(db, self.desk.filter)))
            choices.append(Choice(f"the {len(ids)} photos of the filter", ids=ids))
        if table.current is not None:
            row = table.current
            choices.append(Choice(f"this photo ({row['file_name']})", ids=(row["id"],)))
        choices += [
            Choice(f"story: {s['name']}", story=s["name"]) for s in stories.listing(db)[:50]
        ]
        if not choices:
            self.notify("nothing to export yet: import some photos first", severity="warning")
            return
        self.app.push_screen(ExportScreen(choices))

    def action_import_folder(self) -> None:
        from photodesk.tui.screens.importer import ImportScreen

        self.app.push_screen(ImportScreen(on_rows=self.imported), lambda _: self.reload())

    def imported(self, photo_ids: list[int], phase: str) -> None:
        """An import running above adds rows, or sharpens previews: show them as they come."""
        self.reload()
        current = self.table.current
        if phase == "thumbnails" and current is not None and current["id"] in photo_ids:
            self._preview(current)
