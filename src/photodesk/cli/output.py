"""How commands print: JSON for scripts, or lines for a person; catalog text is data."""

from __future__ import annotations

import json
import math
from typing import Any

import click

from photodesk.text import for_json, for_terminal


def _finite(value: Any) -> Any:
    """NaN and infinities as null: JSON has no such numbers, and strict readers refuse them."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def emit_json(data: Any) -> None:
    text = json.dumps(_finite(data), ensure_ascii=False, indent=2, default=str, allow_nan=False)
    click.echo(for_json(text))


def _date_label(p: dict[str, Any]) -> str:
    """Exact times to the minute (the column is narrow); ranges as their phrase."""
    if p.get("taken_precision") in ("second", "minute") or not p.get("taken_text"):
        return (p.get("taken_start") or "")[:16].replace("T", " ")
    return str(p["taken_text"])


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


def print_rows(rows: list[dict[str, Any]]) -> None:
    """One line a photo: id, file, date, place, first words of the caption."""
    if not rows:
        click.echo("no photos match")
        return
    for p in rows:
        place = p.get("shown_place") or p.get("created_place") or ""
        caption = " ".join((p.get("caption") or p.get("headline") or "").split())
        cells = [
            f"{p['id']:>5}",
            _fit(p["file_name"] or "", 28),
            _fit(_date_label(p), 20),
            _fit(place, 24),
            _fit(caption, 60),
        ]
        click.echo("  ".join(for_terminal(c, single_line=True) for c in cells).rstrip())


def rows_or_json(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        emit_json(rows)
    else:
        print_rows(rows)


def indented(text: str) -> str:
    """Multi-line values line up under their first line."""
    return for_terminal(text).replace("\n", "\n" + " " * 24)


def print_photo(photo: dict[str, Any]) -> None:
    """Every known value of one photo, a labelled line each; captions by language."""
    for key, value in photo.items():
        if key == "captions":
            for code, fields in value.items():
                for name, text in fields.items():
                    if text:
                        click.echo(f"{name + ' [' + code + ']':>22}  {indented(text)}")
        elif value not in (None, "", []):
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            click.echo(f"{key:>22}  {indented(shown)}")


def warn(message: str) -> None:
    """A warning on stderr, one line, with catalog text kept inert."""
    click.echo(f"warning: {for_terminal(message, single_line=True)}", err=True)
