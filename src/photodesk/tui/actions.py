"""Every action of the app in one table: it feeds the key bindings, the footer and the palette.

A row names the action, its key, where it applies (the app or one screen),
a short footer label, and the namespaced words the command palette shows
("photo: edit caption"). Screens build their `BINDINGS` from it; the help
screen lists it; nothing else names a key.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Action:
    id: str  # the action method, without "action_"; also the binding id
    key: str
    where: str  # "app", or the screen it belongs to: "browse", "editor", "pair", "import"
    label: str  # for the footer
    palette: str  # for the command palette: "namespace: what it does"
    show: bool = True  # in the footer (the palette and help list every action)


ACTIONS: tuple[Action, ...] = (
    Action("search", "slash", "browse", "Search", "photo: search captions, places, files"),
    Action("filter", "f", "browse", "Filter", "photo: filter by story, date, kind, status…"),
    Action("clear_filter", "F", "browse", "Clear", "photo: clear search and filter", False),
    Action("edit", "e", "browse", "Edit", "photo: edit caption"),
    Action("toggle_select", "space", "browse", "Select", "photo: select or unselect", False),
    Action("select_all", "ctrl+a", "browse", "All", "photo: select all in filter", False),
    Action("select_down", "shift+down", "browse", "Select ↓", "photo: select and move down", False),
    Action("select_up", "shift+up", "browse", "Select ↑", "photo: select and move up", False),
    Action("batch", "B", "browse", "Batch", "photo: batch edit the selection"),
    Action("undo", "u", "browse", "Undo", "photo: undo the last change set"),
    Action("mark_before", "b", "browse", "Before", "pair: mark before"),
    Action("mark_after", "a", "browse", "After", "pair: mark after and pair"),
    Action("pairs", "p", "browse", "Pairs", "pair: list pairs"),
    Action("import_folder", "i", "browse", "Import", "import: a folder…"),
    Action("export", "x", "browse", "Export", "export: caption sheet, publish copies, sidecars…"),
    Action("refresh", "r", "browse", "Refresh", "photo: reload the table", False),
    Action("help", "question_mark", "app", "Help", "app: keys and actions"),
    Action("quit", "q", "app", "Quit", "app: quit"),
    Action("save", "ctrl+s", "editor", "Save", "editor: save the caption"),
    Action("next_photo", "ctrl+n", "editor", "Next", "editor: save and go to the next photo"),
    Action("previous_photo", "ctrl+r", "editor", "Previous", "editor: save and go back one"),
    Action("next_language", "ctrl+l", "editor", "Language", "editor: next caption language"),
    Action("close", "escape", "editor", "Close", "editor: close (asks if unsaved)"),
    Action("save_pair_caption", "ctrl+s", "pair", "Save", "pair: save the pair caption"),
    Action("close", "escape", "pair", "Close", "pair: close"),
    Action("open_pair", "enter", "pairs", "Open", "pair: open", False),
    Action("delete_pair", "d", "pairs", "Delete", "pair: delete"),
    Action("close", "escape", "pairs", "Close", "pair: close the list"),
    Action("cancel", "escape", "import", "Cancel", "import: cancel or close"),
    Action("cancel", "escape", "export", "Cancel", "export: cancel or close"),
    Action("close", "escape", "batch", "Cancel", "batch: close without changing anything"),
    Action("apply", "ctrl+s", "batch", "Apply", "batch: apply to the selection"),
    Action("close", "escape", "help", "Close", "help: close"),
    Action("yes", "y", "confirm", "Yes", "answer yes"),
    Action("no", "escape,n", "confirm", "No", "answer no"),
    Action("close", "escape,enter", "error", "Close", "close the message"),
    Action("cancel", "escape", "filter", "Cancel", "filter: keep the current one"),
)


def bindings(where: str) -> list[Binding]:
    return [
        Binding(a.key, a.id, a.label, show=a.show, id=f"{where}.{a.id}", tooltip=a.palette)
        for a in ACTIONS
        if a.where == where
    ]


def palette(where: str) -> list[Action]:
    """The actions the palette offers on a screen: its own and the app's."""
    return [a for a in ACTIONS if a.where in (where, "app")]
