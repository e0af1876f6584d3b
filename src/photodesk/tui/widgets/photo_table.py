"""The photo table: a window of a few hundred rows over a catalog of any size.

Rows come a page at a time through the catalog's keyset queries; moving near
either end of the window reads the next page and drops the far end, so the
table opens at once on 100,000 photos and holds the same few hundred rows
whatever the catalog's size. A search shows its ranked matches instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from photodesk.catalog import browse
from photodesk.tui.text import plain

PAGE = 100
WINDOW = 3 * PAGE
NEAR = 10  # rows from either end of the window that fetch the next page

COLUMNS = ("", "File", "Date", "Shown place", "Headline / caption", "Status", "Pair", "Langs")


def _date(row: dict[str, Any]) -> str:
    if row.get("taken_precision") in ("second", "minute") or not row.get("taken_text"):
        return (row.get("taken_start") or "")[:16].replace("T", " ")
    return str(row["taken_text"])


def cells(row: dict[str, Any], selected: bool) -> list[Text]:
    words = " ".join(str(row.get("headline") or row.get("caption") or "").split())
    mark = ("●" if selected else " ") + ("▣" if row.get("thumb_path") else "·")
    return [
        Text(mark),
        plain(row.get("file_name"), True),
        plain(_date(row), True),
        plain(row.get("shown_place") or "", True),
        plain(words[:60] + ("…" if len(words) > 60 else ""), True),
        plain(row.get("status"), True),
        Text("⇄" if row.get("paired") else ""),
        plain(row.get("languages") or "", True),
    ]


class PhotoTable(DataTable[Text]):
    """Photos in date order (or search order), a window at a time."""

    class Highlighted(Message):
        def __init__(self, row: dict[str, Any] | None) -> None:
            super().__init__()
            self.row = row

    def __init__(self, reader: Callable[[], Any], **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._reader = reader  # the UI thread's catalog
        self.filter = browse.BrowseFilter()
        self.lang = "en"
        self.rows_shown: list[dict[str, Any]] = []
        self.more_before = self.more_after = False
        self.fixed = False  # showing a search's matches: no paging
        self.selected: set[int] = set()
        self._shifting = False

    def on_mount(self) -> None:
        for label in COLUMNS:
            self.add_column(label, key=label or "mark")

    # -- filling -------------------------------------------------------------------

    def load(self, f: browse.BrowseFilter, lang: str, start_id: int | None = None) -> None:
        """Show the filter's photos from the start, or around `start_id` if it is in them."""
        self.filter, self.lang, self.fixed = f, lang, False
        db = self._reader().db
        rows: list[dict[str, Any]] = []
        if start_id is not None:
            found = browse.find(db, f, lang, start_id)
            if found is not None:
                before = browse.page_before(db, f, lang, browse.Key.of(found), PAGE)
                after = browse.page(db, f, lang, browse.Key.of(found), 2 * PAGE - 1)
                rows = [*before, found, *after]
                self.more_before = len(before) == PAGE
                self.more_after = len(after) == 2 * PAGE - 1
                self._fill(rows, cursor=len(before))
                return
        rows = browse.page(db, f, lang, None, PAGE)  # one page paints first; more as it scrolls
        self.more_before, self.more_after = False, len(rows) == PAGE
        self._fill(rows, cursor=0)

    def show_matches(self, rows: list[dict[str, Any]]) -> None:
        """A search's matches, best first (already bounded by the search)."""
        self.fixed, self.more_before, self.more_after = True, False, False
        self._fill(rows, cursor=0)

    def _fill(self, rows: list[dict[str, Any]], cursor: int) -> None:
        # clear() and move_cursor() post highlight events that arrive after this
        # returns: until the refill has been drawn, such events are not moves.
        self._shifting = True
        self.clear()
        self.rows_shown = rows
        for row in rows:
            self.add_row(*cells(row, row["id"] in self.selected), key=str(row["id"]))
        if rows:
            self.move_cursor(row=min(cursor, len(rows) - 1), animate=False)
        self.call_after_refresh(self._filled)

    def _filled(self) -> None:
        self._shifting = False
        self.post_message(self.Highlighted(self.current))

    # -- moving --------------------------------------------------------------------

    @property
    def current(self) -> dict[str, Any] | None:
        if not self.rows_shown or self.cursor_row >= len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row]

    def neighbour(self, step: int) -> dict[str, Any] | None:
        """Move the cursor `step` rows and return that photo (None past the window's ends).

        Moving near an end of the window reads the next page, as any cursor move does.
        """
        target = self.cursor_row + step
        if 0 <= target < len(self.rows_shown):
            self.move_cursor(row=target, animate=False)
            return self.rows_shown[self.cursor_row]
        return None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if self._shifting or event.cursor_row != self.cursor_row:  # stale: from a refill
            return
        row = event.cursor_row
        if not self.fixed and row >= len(self.rows_shown) - NEAR and self.more_after:
            self._shift(forward=True)
        elif not self.fixed and row < NEAR and self.more_before:
            self._shift(forward=False)
        self.post_message(self.Highlighted(self.current))

    def _shift(self, forward: bool) -> None:
        """Read the next page beyond one end and drop as many rows from the other."""
        db = self._reader().db
        current = self.current
        if forward:
            more = browse.page(db, self.filter, self.lang, browse.Key.of(self.rows_shown[-1]), PAGE)
            self.more_after = len(more) == PAGE
            rows = self.rows_shown + more
            dropped = max(0, len(rows) - WINDOW)
            rows = rows[dropped:]
            self.more_before = self.more_before or dropped > 0
        else:
            first = browse.Key.of(self.rows_shown[0])
            more = browse.page_before(db, self.filter, self.lang, first, PAGE)
            self.more_before = len(more) == PAGE
            rows = more + self.rows_shown
            kept = min(len(rows), WINDOW)
            self.more_after = self.more_after or kept < len(rows)
            rows = rows[:kept]
        index = next((i for i, r in enumerate(rows) if current and r["id"] == current["id"]), 0)
        self._fill(rows, cursor=index)

    # -- selection -----------------------------------------------------------------

    def toggle(self) -> None:
        row = self.current
        if row is None:
            return
        self.selected ^= {row["id"]}
        self.update_cell(str(row["id"]), "mark", cells(row, row["id"] in self.selected)[0])

    def replace_row(self, row: dict[str, Any]) -> None:
        for i, shown in enumerate(self.rows_shown):
            if shown["id"] == row["id"]:
                self.rows_shown[i] = row
                for label, cell in zip(
                    COLUMNS, cells(row, row["id"] in self.selected), strict=True
                ):
                    self.update_cell(str(row["id"]), label or "mark", cell)
