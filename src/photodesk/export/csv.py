"""The caption sheet as CSV: one row an item, IPTC names in the header, safe to open in Excel.

A cell that begins with =, +, -, @, a tab or a carriage return is a formula
to a spreadsheet; such a cell gets a leading apostrophe, which spreadsheets
show as text (OWASP's advice for CSV injection).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from photodesk.export import SheetOptions, save
from photodesk.export.sheet import CaptionSheet, columns, header

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(cell: str | None) -> str:
    text = cell or ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(sheet: CaptionSheet, options: SheetOptions) -> bytes:
    buffer = io.StringIO(newline="")
    rows = [columns(item, sheet.lang) for item in sheet.items]
    names = header()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow(names)
    for row in rows:
        out.writerow([defuse(row.get(name)) for name in names])
    text = buffer.getvalue()
    return (b"\xef\xbb\xbf" if options.excel else b"") + text.encode("utf-8")


def write(sheet: CaptionSheet, out: Path, options: SheetOptions) -> None:
    save(out, render(sheet, options))
