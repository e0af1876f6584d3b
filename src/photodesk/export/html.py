"""The caption sheet as a printable HTML contact sheet (A4), rendered by Jinja2.

Every catalog text reaches the page through Jinja2's autoescaping, never by
string concatenation. Thumbnails are inlined as data URLs, so the page is one
self-contained file, or copied into a folder beside it (NAME_files/).
The PDF writer renders the same template.
"""

from __future__ import annotations

import base64
import shutil
from collections.abc import Callable
from pathlib import Path

import jinja2

from photodesk.export import SheetOptions, save
from photodesk.export.selection import ExportError
from photodesk.export.sheet import CaptionSheet, Picture
from photodesk.text import display_path

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("photodesk.export", "templates"),
    autoescape=True,  # every template here is HTML
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(sheet: CaptionSheet, src: Callable[[Picture], str | None]) -> str:
    """The page; `src` gives each picture's image address (None: no thumbnail)."""
    return _ENV.get_template("sheet.html.j2").render(sheet=sheet, src=src)


def _readable(path: Path | None) -> Path | None:
    return path if path is not None and path.is_file() else None


def inline(picture: Picture) -> str | None:
    path = _readable(picture.thumbnail)
    if path is None:
        return None
    return "data:image/jpeg;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def write(sheet: CaptionSheet, out: Path, options: SheetOptions) -> None:
    if not options.thumbs_folder:
        save(out, render(sheet, inline).encode("utf-8"))
        return
    folder = out.with_name(out.stem + "_files")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot make {display_path(str(folder))}: {exc.strerror}") from exc

    def copied(picture: Picture) -> str | None:
        path = _readable(picture.thumbnail)
        if path is None:
            return None
        name = f"{picture.photo_id}.jpg"  # ids, not file names: nothing of the partner's naming
        shutil.copyfile(path, folder / name)
        return f"{folder.name}/{name}"

    save(out, render(sheet, copied).encode("utf-8"))
