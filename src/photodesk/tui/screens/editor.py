"""The caption editor: every editable field of one photo, from the field table.

Saving writes one change set (history, undo); leaving with unsaved changes
asks first; a save that fails keeps the text and says why. Next and previous
move through the table's photos without leaving the editor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static, TextArea

from photodesk.catalog import edits, history, photos, places
from photodesk.dates import DateParseError, parse_date
from photodesk.errors import PhotodeskError
from photodesk.fields import EDITABLE, Field, field
from photodesk.tui import actions
from photodesk.tui.screens.dialogs import Confirm
from photodesk.tui.text import plain

if TYPE_CHECKING:
    from photodesk.tui.app import PhotodeskApp

FIELDS = [field(name) for name in EDITABLE]
LANGUAGES = ("en", "ko", "ja", "zh")


def current_values(photo: dict[str, Any], lang: str) -> dict[str, str]:
    """Each field as the editor shows it: text, keywords joined, date phrase, place name."""
    caption = photo["captions"].get(lang, {})
    out: dict[str, str] = {}
    for f in FIELDS:
        if f.scope == "language":
            value = caption.get(f.name)
        elif f.type == "list":
            value = ", ".join(photo.get(f.name) or [])
        elif f.type == "date":
            value = photo.get("taken_text")
        else:  # text, choice and place (the summary names places)
            value = photo.get(f.name)
        out[f.name] = "" if value is None else str(value)
    return out


def date_feedback(text: str) -> str:
    """What a date phrase means, as the user types it."""
    if not text.strip():
        return "no date"
    try:
        taken = parse_date(text)
    except DateParseError as exc:
        return f"✗ {exc}"
    return f"{text.strip()} → {taken.start:%Y-%m-%d} … {taken.end:%Y-%m-%d}"


class EditorScreen(Screen[None]):
    BINDINGS = actions.bindings("editor")
    ACTIONS_WHERE = "editor"

    def __init__(self, photo_id: int) -> None:
        super().__init__()
        self.photo_id = photo_id
        self.lang = ""
        self.loaded: dict[str, str] = {}

    @property
    def desk(self) -> PhotodeskApp:
        return self.app  # type: ignore[return-value]

    def _input(self, f: Field, names: list[str]) -> Widget:
        if f.name == "description":
            return TextArea(id=f"f-{f.name}", soft_wrap=True, classes="caption")
        if f.type == "choice":
            return Select([(c, c) for c in f.choices], id=f"f-{f.name}", allow_blank=True)
        suggester = SuggestFromList(names, case_sensitive=False) if f.type == "place" else None
        return Input(id=f"f-{f.name}", suggester=suggester, placeholder=f.help or "")

    def compose(self) -> ComposeResult:
        names = [p["name"] for p in places.listing(self.desk.catalog.db)]
        yield Static(id="editor-title", markup=False)
        with VerticalScroll(id="editor"):
            with Horizontal(id="lang-row"):
                yield Label("Language")
                yield Select([(code, code) for code in LANGUAGES], id="lang", allow_blank=False)
            with Grid(classes="form"):
                for f in FIELDS:
                    yield Label(f.label)
                    yield self._input(f, names)
                    if f.type == "date":
                        yield Label("")
                        yield Static(id="date-feedback", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.lang = self.desk.lang
        self.query_one("#lang", Select).value = self.lang if self.lang in LANGUAGES else "en"
        self.load(self.photo_id)

    # -- values in and out -----------------------------------------------------------

    def load(self, photo_id: int) -> None:
        photo = photos.get(self.desk.catalog.db, photo_id, self.lang)
        if photo is None:
            self.desk.show_error(f"no photo with id {photo_id}")
            return
        self.photo_id = photo_id
        self.loaded = current_values(photo, self.lang)
        for f in FIELDS:
            self._set(f, self.loaded[f.name])
        title = f"Photo {photo_id} · {photo['file_name']} · captions in {self.lang}"
        self.query_one("#editor-title", Static).update(plain(title, True))
        self.query_one("#date-feedback", Static).update(plain(date_feedback(self.loaded["date"])))

    def _set(self, f: Field, value: str) -> None:
        widget = self.query_one(f"#f-{f.name}")
        if isinstance(widget, TextArea):
            widget.text = value
        elif isinstance(widget, Select):
            widget.value = value if value else Select.NULL
        else:
            widget.value = value  # type: ignore[attr-defined]

    def _get(self, f: Field) -> str:
        widget = self.query_one(f"#f-{f.name}")
        if isinstance(widget, TextArea):
            return widget.text
        value = widget.value  # type: ignore[attr-defined]
        return "" if value in (None, Select.NULL) else str(value)

    def changes(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in FIELDS:
            typed = self._get(f)
            if typed != self.loaded.get(f.name, ""):
                out[f.name] = typed.split(",") if f.type == "list" else typed
        return out

    # -- events ----------------------------------------------------------------------

    @on(Input.Changed, "#f-date")
    def date_typed(self, event: Input.Changed) -> None:
        self.query_one("#date-feedback", Static).update(plain(date_feedback(event.value)))

    @on(Select.Changed, "#lang")
    def language_chosen(self, event: Select.Changed) -> None:
        if event.value in (Select.NULL, self.lang) or not self.loaded:
            return
        if self.changes():
            self.notify("save or undo your changes before switching language", severity="warning")
            self.query_one("#lang", Select).value = self.lang
            return
        self.lang = str(event.value)
        self.load(self.photo_id)

    def save(self) -> bool:
        """Write what changed as one change set; False (text kept) when it cannot."""
        values = self.changes()
        if not values:
            return True
        try:
            result = edits.apply_edit(
                self.desk.catalog.db,
                [self.photo_id],
                edits.Edit(values, lang=self.lang),
                history.current_user(),
            )
        except PhotodeskError as exc:
            self.desk.show_error(f"not saved: {exc}")
            return False
        for warning in result.warnings + [f"unknown code {c}" for c in result.unknown_codes]:
            self.notify(warning, severity="warning")
        self.notify(f"saved: {result.fields_changed} field(s), change set {result.change_set}")
        self.load(self.photo_id)  # codes expanded, values as stored
        return True

    # -- actions ---------------------------------------------------------------------

    def action_save(self) -> None:
        self.save()

    def _step(self, step: int) -> None:
        if not self.save():
            return
        from photodesk.tui.screens.browse import BrowseScreen

        browse_screen = next(s for s in self.app.screen_stack if isinstance(s, BrowseScreen))
        row = browse_screen.table.neighbour(step)
        if row is None:
            self.notify("no more photos in this direction")
            return
        self.load(row["id"])

    def action_next_photo(self) -> None:
        self._step(1)

    def action_previous_photo(self) -> None:
        self._step(-1)

    def action_next_language(self) -> None:
        select = self.query_one("#lang", Select)
        position = LANGUAGES.index(self.lang) if self.lang in LANGUAGES else -1
        select.value = LANGUAGES[(position + 1) % len(LANGUAGES)]

    def action_close(self) -> None:
        if not self.changes():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(Confirm("Discard the changes you have not saved?"), answered)
