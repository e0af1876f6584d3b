"""Every key and action, from the one table that makes the bindings."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from photodesk.tui import actions


def actions_table() -> Table:
    table = Table(title="photodesk: keys and actions", expand=True)
    for column in ("Key", "Where", "Action"):
        table.add_column(column)
    for action in actions.ACTIONS:
        table.add_row(action.key, action.where, action.palette)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = actions.bindings("help")

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog wide"):
            yield Static(actions_table())
            yield Static("Every action is also in the command palette (ctrl+p).", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
