"""Batch edit: shared fields of the selected photos, set in one change set."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from photodesk.catalog import edits, history, stories
from photodesk.errors import PhotodeskError
from photodesk.fields import Field, where
from photodesk.tui import actions
from photodesk.tui.text import plain

if TYPE_CHECKING:
    from photodesk.tui.app import PhotodeskApp

# Fields shared by a batch: the per-photo ones the table lets one value cover
# (text, keywords, choices); dates and places stay per photo.
SHARED = tuple(f for f in where(scope="photo") if f.type in ("text", "list", "choice"))


class BatchScreen(ModalScreen[int | None]):
    BINDINGS = actions.bindings("batch")

    def __init__(self, photo_ids: list[int]) -> None:
        super().__init__()
        self.photo_ids = photo_ids

    @property
    def desk(self) -> PhotodeskApp:
        return self.app  # type: ignore[return-value]

    def _input(self, f: Field) -> Input | Select[str]:
        if f.type == "choice":
            return Select([(c, c) for c in f.choices], id=f"b-{f.name}", allow_blank=True)
        return Input(id=f"b-{f.name}", placeholder="(unchanged)")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Set for {len(self.photo_ids)} photo(s); empty fields stay as they are")
            with Grid(classes="form"):
                for f in SHARED:
                    yield Label(f.label)
                    yield self._input(f)
                yield Label("Add to story")
                yield Input(id="b-story", placeholder="(none)")
            yield Static(id="batch-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Apply", id="apply", variant="primary")
                yield Button("Cancel", id="cancel")

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in SHARED:
            value = self.query_one(f"#b-{f.name}").value  # type: ignore[attr-defined]
            if value in (None, "", Select.NULL):
                continue
            out[f.name] = str(value).split(",") if f.type == "list" else str(value)
        return out

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        else:
            self.dismiss(None)

    def action_apply(self) -> None:
        db = self.desk.catalog.db
        values = self.values()
        story = self.query_one("#b-story", Input).value.strip()
        try:
            change_set = None
            if values:
                result = edits.apply_edit(
                    db, self.photo_ids, edits.Edit(values), history.current_user(), "batch edit"
                )
                change_set = result.change_set
            if story:
                stories.find_or_create(db, story)
                stories.add(db, story, self.photo_ids)
        except PhotodeskError as exc:
            self.query_one("#batch-error", Static).update(plain(f"not applied: {exc}"))
            return
        self.notify(f"{len(self.photo_ids)} photo(s) updated")
        self.dismiss(change_set)

    def action_close(self) -> None:
        self.dismiss(None)
