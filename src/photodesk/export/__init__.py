"""What leaves the desk: caption sheets, publish copies and XMP sidecars.

`entries` reads the photos once from the catalog, `selection` says which,
`sheet` lays out a caption sheet; each sheet format is a module of its own
with a `write(sheet, out, options)` function, and FORMATS below is the one
list of them that the CLI and the terminal UI offer. A format's module is
imported only when it is used (the PDF one brings WeasyPrint).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from photodesk.files import write_atomic
from photodesk.text import display_path

if TYPE_CHECKING:
    from photodesk.catalog import Catalog
    from photodesk.export.selection import Selection
    from photodesk.export.sheet import CaptionSheet


@dataclass(frozen=True)
class SheetOptions:
    excel: bool = False  # CSV: a byte-order mark, so Excel reads the file as UTF-8
    thumbs_folder: bool = False  # HTML: thumbnails in a folder beside the page, not inlined


@dataclass(frozen=True)
class SheetFormat:
    name: str
    label: str
    suffix: str
    module: str

    def writer(self) -> Callable[[CaptionSheet, Path, SheetOptions], None]:
        module = importlib.import_module(f"photodesk.export.{self.module}")
        return cast(Callable[["CaptionSheet", Path, SheetOptions], None], module.write)


FORMATS: dict[str, SheetFormat] = {
    f.name: f
    for f in (
        SheetFormat("csv", "CSV spreadsheet (IPTC names)", ".csv", "csv"),
        SheetFormat("md", "Markdown for the web desk", ".md", "md"),
        SheetFormat("json", "JSON with every field", ".json", "json"),
        SheetFormat("html", "HTML contact sheet (printable)", ".html", "html"),
        SheetFormat("pdf", "PDF contact sheet", ".pdf", "pdf"),
    )
}


# Progress: (photos done, photos in all, what is happening); cancel: asked between photos.
Progress = Callable[[int, int | None, str], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True)
class FileExport:
    """An export that writes files for each photo into a folder (or beside the originals)."""

    name: str
    label: str
    function: str  # in photodesk.export.jobs: (catalog, selection, out, progress, cancel)

    def run(
        self,
        catalog: Catalog,
        chosen: Selection,
        out: Path,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> list[str]:
        """Run it (its module loads only now); returns what the user should read."""
        job = getattr(importlib.import_module("photodesk.export.jobs"), self.function)
        return cast(list[str], job(catalog, chosen, out, progress, cancel))


FILE_EXPORTS: dict[str, FileExport] = {
    f.name: f
    for f in (
        FileExport(
            "photos", "Publish copies (JPEG, captions in, source protected)", "publish_copies"
        ),
        FileExport("xmp", "XMP sidecars", "sidecars"),
    )
}


def write_sheet(
    sheet: CaptionSheet, fmt: str, out: Path, options: SheetOptions | None = None
) -> None:
    """Write `sheet` as format `fmt` to `out` (created or replaced whole, never half-written)."""
    FORMATS[fmt].writer()(sheet, out, options or SheetOptions())


def save(out: Path, data: bytes) -> None:
    """Write an export whole, with the permissions the user's umask gives new files.

    The folder must exist: a mistyped path is an error, not a new tree of folders.
    """
    from photodesk.export.selection import ExportError

    if not out.parent.is_dir():
        raise ExportError(f"no folder {display_path(str(out.parent))} to write {out.name} into")
    try:
        write_atomic(out, data)
    except OSError as exc:
        raise ExportError(f"cannot write {display_path(str(out))}: {exc.strerror or exc}") from exc
