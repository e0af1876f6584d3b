"""The caption sheet as a PDF contact sheet: the HTML sheet's template, laid out by WeasyPrint.

WeasyPrint lays out HTML and CSS through Pango, so the same template serves
the browser and the printer, and Korean, Japanese and Chinese are shaped and
set in whatever font fontconfig offers for them; the fonts used are
embedded (subset) in the PDF. It needs the Pango library from the system:
without it, or without a font that covers the sheet's scripts, the export
stops with a message that names what to install, rather than printing
empty boxes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from photodesk.export import SheetOptions, save
from photodesk.export.html import render
from photodesk.export.selection import ExportError
from photodesk.export.sheet import CaptionSheet, Picture
from photodesk.pairs.diptych import DiptychError, find_font


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Pango library is not installed
        if sys.platform == "darwin":
            how = "brew install pango"
        elif sys.platform == "win32":
            how = "install GTK 3 for Windows (see WeasyPrint's installation notes)"
        else:
            how = "apt install libpango-1.0-0 libpangoft2-1.0-0 (Debian, Ubuntu)"
        raise ExportError(
            f"a PDF sheet needs WeasyPrint and the Pango library ({how}); "
            f"the HTML sheet needs neither ({' '.join(str(exc).split())[:160]})"
        ) from exc
    return weasyprint


def _text_of(sheet: CaptionSheet) -> str:
    parts: list[str | None] = [sheet.title, *sheet.credit_summary]
    for item in sheet.items:
        parts += [
            item.headline,
            item.caption,
            item.date,
            item.created_place,
            item.shown_place,
            item.creator,
            item.credit,
            item.instructions,
            *item.file_names,
        ]
    return " ".join(p for p in parts if p)


def _check_fonts(sheet: CaptionSheet) -> None:
    """Refuse to print Korean, Japanese or Chinese as boxes: name the font to install."""
    # Only the CJK characters matter (U+2E80 onwards); any font sets Latin text.
    wide = "".join(dict.fromkeys(c for c in _text_of(sheet) if ord(c) >= 0x2E80))
    if not wide:
        return
    try:
        find_font(wide[:40])
    except DiptychError as exc:
        raise ExportError(f"cannot make a PDF of this sheet: {exc}") from exc


def _file_url(picture: Picture) -> str | None:
    path = picture.thumbnail
    return path.resolve().as_uri() if path is not None and path.is_file() else None


def render_pdf(sheet: CaptionSheet) -> bytes:
    weasyprint = _weasyprint()
    _check_fonts(sheet)
    html = weasyprint.HTML(string=render(sheet, _file_url), base_url=str(Path.cwd()))
    pdf: bytes = html.write_pdf()
    return pdf


def write(sheet: CaptionSheet, out: Path, options: SheetOptions) -> None:
    save(out, render_pdf(sheet))
