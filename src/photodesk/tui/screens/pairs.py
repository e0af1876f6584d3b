"""Pairs: one pair side by side with its span and caption; the list of all pairs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TextArea

from photodesk import pairs
from photodesk.catalog import pairs as pair_rows
from photodesk.errors import PhotodeskError
from photodesk.tui import actions
from photodesk.tui.screens.dialogs import Confirm
from photodesk.tui.text import plain
from photodesk.tui.widgets.preview import image_widget, thumbnail

if TYPE_CHECKING:
    from photodesk.tui.app import PhotodeskApp


class PairScreen(Screen[None]):
    BINDINGS = actions.bindings("pair")
    ACTIONS_WHERE = "pair"

    def __init__(self, pair_id: int) -> None:
        super().__init__()
        self.pair_id = pair_id

    @property
    def desk(self) -> PhotodeskApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="pair-title", markup=False)
        with Horizontal(id="pair-images"):
            for side in ("before", "after"):
                with Vertical(classes="pair-side"):
                    yield image_widget(id=f"{side}-image")
                    yield Static(id=f"{side}-text", markup=False)
        yield Static(id="pair-span", markup=False)
        yield TextArea(id="pair-caption", soft_wrap=True)
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        view = pairs.view(self.desk.catalog, self.pair_id, self.desk.lang)
        title = f"Pair {view.id}" + (f" · {view.subject}" if view.subject else "")
        self.query_one("#pair-title", Static).update(plain(title, True))
        for name, side in (("before", view.before), ("after", view.after)):
            image = thumbnail(self.desk.archive, side.thumb_path)
            self.query_one(f"#{name}-image").image = image  # type: ignore[attr-defined]
            text = Text(f"{name.title()}: ", style="bold")
            where = f" · {side.shown_place}" if side.shown_place else ""
            text.append_text(plain(f"{side.file_name} · {side.date or 'undated'}{where}", True))
            self.query_one(f"#{name}-text", Static).update(text)
        span = Text("Span: ", style="bold")
        unknown = view.span.startswith("unknown")
        span.append_text(plain(view.span if unknown else f"{view.span} apart"))
        for warning in view.warnings:
            span.append_text(plain(f"\n⚠ {warning}"))
        self.query_one("#pair-span", Static).update(span)
        self.query_one("#pair-caption", TextArea).text = view.caption or ""

    def action_save_pair_caption(self) -> None:
        text = self.query_one("#pair-caption", TextArea).text
        view = pairs.view(self.desk.catalog, self.pair_id, self.desk.lang)
        if text.strip() == (view.composed or "").strip():
            text = ""  # the composed caption as it is: keep following the photos' captions
        try:
            _, warnings = pairs.set_caption(self.desk.catalog, self.pair_id, self.desk.lang, text)
        except PhotodeskError as exc:
            self.desk.show_error(f"not saved: {exc}")
            return
        for warning in warnings:
            self.notify(warning, severity="warning")
        self.notify("pair caption saved")
        self.show()

    def action_close(self) -> None:
        self.dismiss(None)


class PairListScreen(Screen[None]):
    BINDINGS = actions.bindings("pairs")
    ACTIONS_WHERE = "pairs"

    @property
    def desk(self) -> PhotodeskApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("Before/after pairs (enter opens, d deletes)", markup=False)
        yield DataTable(id="pair-list", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in ("Pair", "Before", "After", "Subject"):
            table.add_column(label)
        self.fill()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for r in pair_rows.listing(self.desk.catalog.db):
            table.add_row(
                Text(str(r["id"])),
                plain(f"{r['before_file']} ({r['before_date'] or 'undated'})", True),
                plain(f"{r['after_file']} ({r['after_date'] or 'undated'})", True),
                plain(r["subject"] or "", True),
                key=str(r["id"]),
            )

    def _current(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(str(key.value))

    def on_data_table_row_selected(self) -> None:
        self.action_open_pair()

    def action_open_pair(self) -> None:
        pair_id = self._current()
        if pair_id is not None:
            self.app.push_screen(PairScreen(pair_id), lambda _: self.fill())

    def action_delete_pair(self) -> None:
        pair_id = self._current()
        if pair_id is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                pair_rows.delete(self.desk.catalog.db, pair_id)
                self.fill()

        self.app.push_screen(Confirm(f"Delete pair {pair_id}? The photos stay."), answered)

    def action_close(self) -> None:
        self.dismiss(None)
