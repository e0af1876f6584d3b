"""Small modal dialogs: yes/no, an error, and the browse filter."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from photodesk.catalog.browse import BrowseFilter
from photodesk.fields import KINDS, STATUSES
from photodesk.tui import actions
from photodesk.tui.text import plain


class Confirm(ModalScreen[bool]):
    """A question with yes and no; Escape is no."""

    BINDINGS = actions.bindings("confirm")

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.question))
            with Horizontal(classes="buttons"):
                yield Button("Yes", id="yes", variant="error")
                yield Button("No", id="no", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class ErrorDialog(ModalScreen[None]):
    """What went wrong, in one line, until the user closes it."""

    BINDINGS = actions.bindings("error")

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error"):
            yield Label("Something went wrong")
            yield Static(plain(self.message))
            yield Button("Close", id="close", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


def _select(options: tuple[str, ...], value: str | None, id: str) -> Select[str]:
    return Select([(o, o) for o in options], value=value or Select.NULL, id=id, allow_blank=True)


class FilterDialog(ModalScreen[BrowseFilter | None]):
    """Which photos the table shows; the result replaces the current filter."""

    BINDINGS = actions.bindings("filter")

    def __init__(self, current: BrowseFilter, stories: list[str], story: str | None) -> None:
        super().__init__()
        self.current = current
        self.stories = tuple(stories)
        self.story = story

    def compose(self) -> ComposeResult:
        f = self.current
        with Vertical(classes="dialog"):
            yield Label("Filter photos")
            with Grid(classes="form"):
                yield Label("Story")
                yield _select(self.stories, self.story, "story")
                yield Label("Since")
                yield Input(f.since_text or "", placeholder="2019, July 2023…", id="since")
                yield Label("Until")
                yield Input(f.until_text or "", placeholder="2023-07-31…", id="until")
                yield Label("Kind")
                yield _select(KINDS, f.kind, "kind")
                yield Label("Status")
                yield _select(STATUSES, f.status, "status")
                yield Label("No caption in")
                yield Input(f.missing_lang or "", placeholder="ko", id="missing")
                yield Label("")
                yield Checkbox("Not in any pair", f.unpaired, id="unpaired")
            yield Static(id="filter-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Apply", id="apply", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "apply":
            self.dismiss(None)
            return
        self.dismiss(self.result())

    def result(self) -> BrowseFilter:
        def value(id: str) -> Any:
            widget = self.query_one(f"#{id}")
            got = widget.value  # type: ignore[attr-defined]
            return None if got in ("", Select.NULL) else got

        return BrowseFilter(
            story_name=value("story"),
            since_text=value("since"),
            until_text=value("until"),
            kind=value("kind"),
            status=value("status"),
            missing_lang=value("missing"),
            unpaired=bool(value("unpaired")),
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
