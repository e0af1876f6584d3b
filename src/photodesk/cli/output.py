"""How commands print: JSON for scripts, or lines for a person; catalog text is data."""

from __future__ import annotations

import json
import math
import shutil
from typing import Any

import click
from rich.cells import cell_len, set_cell_size

from photodesk.text import for_json, for_terminal

# Positions: six decimal places is about 0.1 m; more is float noise (42.456100000000006).
_POSITIONS = {"gps_lat", "gps_lon", "latitude", "longitude", "lat", "lon"}


def _finite(value: Any, key: str | None = None) -> Any:
    """NaN and infinities as null (JSON has no such numbers); positions to six places."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return round(value, 6) if key in _POSITIONS else value
    if isinstance(value, dict):
        return {k: _finite(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v, key) for v in value]
    return value


def emit_json(data: Any) -> None:
    text = json.dumps(_finite(data), ensure_ascii=False, indent=2, default=str, allow_nan=False)
    click.echo(for_json(text))


def _date_label(p: dict[str, Any]) -> str:
    """Exact times to the minute (the column is narrow); ranges as their phrase."""
    if p.get("taken_precision") in ("second", "minute") or not p.get("taken_text"):
        return (p.get("taken_start") or "")[:16].replace("T", " ")
    return str(p["taken_text"])


def terminal_width() -> int:
    """The terminal's width in cells ($COLUMNS when output is not a terminal)."""
    return max(40, shutil.get_terminal_size((100, 24)).columns)


def _fit(text: str, width: int) -> str:
    """Exactly `width` display cells: cut with an ellipsis, or padded (wide characters count 2)."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


# Columns of the listing: (header, most cells it takes, fewest it keeps on a narrow terminal).
_COLUMNS = (("File", 30, 10), ("Date", 16, 10), ("Place", 26, 8))
_GAP = "  "


def print_rows(rows: list[dict[str, Any]]) -> None:
    """One line a photo under a header, laid out to the terminal's width.

    Widths are measured in display cells, so Korean and Japanese (two cells a
    character) keep the columns aligned; the caption takes the room left.
    """
    if not rows:
        click.echo("no photos match")
        return
    table = [
        [
            str(p["id"]),
            for_terminal(p["file_name"] or "", single_line=True),
            for_terminal(_date_label(p), single_line=True),
            for_terminal(p.get("shown_place") or p.get("created_place") or "", single_line=True),
            for_terminal(
                " ".join(str(p.get("caption") or p.get("headline") or "").split()),
                single_line=True,
            ),
        ]
        for p in rows
    ]
    id_w = max(2, *(len(r[0]) for r in table))
    widths = [
        min(most, max(len(header), *(cell_len(r[i + 1]) for r in table)))
        for i, (header, most, _fewest) in enumerate(_COLUMNS)
    ]
    room = terminal_width() - id_w - len(_GAP) * 4
    caption_min = max(12, room // 3)  # the caption is what the listing is read for
    excess = sum(widths) + caption_min - room
    slack = [w - fewest for w, (_, _, fewest) in zip(widths, _COLUMNS, strict=True)]
    if excess > 0 and sum(slack) > 0:  # a narrow terminal: each column gives way by its slack
        share = min(1.0, excess / sum(slack))
        widths = [w - math.ceil(s * share) for w, s in zip(widths, slack, strict=True)]
    caption_w = max(caption_min, room - sum(widths))
    header = ["ID".rjust(id_w)] + [
        _fit(h, w) for (h, _, _), w in zip(_COLUMNS, widths, strict=True)
    ]
    click.echo(_GAP.join([*header, "Caption"]).rstrip())
    for r in table:
        cells = [r[0].rjust(id_w), *(_fit(c, w) for c, w in zip(r[1:4], widths, strict=True))]
        caption = r[4] if cell_len(r[4]) <= caption_w else _fit(r[4], caption_w)
        click.echo(_GAP.join([*cells, caption]).rstrip())


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
    for key, value in _finite(photo).items():
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
