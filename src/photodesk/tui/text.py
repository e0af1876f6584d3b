"""Catalog text on screen is data: never Rich markup, never terminal escapes."""

from __future__ import annotations

from rich.text import Text

from photodesk.text import for_terminal


def plain(value: object, single_line: bool = False) -> Text:
    """A Text that shows exactly what the catalog holds ("[bold]x[/]" stays as typed)."""
    return Text(for_terminal("" if value is None else str(value), single_line=single_line))
