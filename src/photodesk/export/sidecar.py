"""XMP sidecars: the captions as `NAME.xmp` files that Lightroom, darktable and digiKam read.

A sidecar carries the same fields as a publish copy (every caption language,
both places, the desk's exact date), written by exiv2 from an empty packet.
Either into a folder, named after each photo's original file (`IMG_0001.xmp`;
two photos of the same name are told apart by their ids), or beside each
original in the archive, named after that file so the tools pair them. Like
a copy, each sidecar is read back and must carry nothing that identifies the
source; the camera's position only when asked for.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from photodesk.catalog import Catalog
from photodesk.export.entries import Entry, load_chosen
from photodesk.export.names import safe_name
from photodesk.export.publish import (
    CancelCheck,
    ExportProgress,
    ProgressCallback,
    check_free,
    embedding,
    make_folder,
    missing_originals,
    prepare_folder,
    verify,
)
from photodesk.export.selection import ExportError, Selection
from photodesk.metadata.write import write_sidecar
from photodesk.text import display_path

__all__ = ["SidecarResult", "Written", "sidecar_names", "write_sidecars"]

SUFFIX = ".xmp"


@dataclass
class Written:
    photo_id: int
    path: Path
    warnings: list[str] = field(default_factory=list)  # IIM byte limits (XMP holds it all)


@dataclass
class SidecarResult:
    folder: Path | None  # None: beside each original
    files: list[Written] = field(default_factory=list)
    cancelled: bool = False

    def summary(self) -> str:
        n = len(self.files)
        where = (
            f"to {display_path(str(self.folder))}"
            if self.folder is not None
            else "beside their originals"
        )
        text = f"wrote {n} sidecar{'' if n == 1 else 's'} {where}"
        return text + (" (cancelled)" if self.cancelled else "")


def sidecar_names(entries: list[Entry]) -> list[str]:
    """`NAME.xmp` from each original's file name; a name two photos share gets each one's id."""
    stems = [
        safe_name(PurePath(e.file_name).stem, f"photo-{e.id}") if e.file_name else f"photo-{e.id}"
        for e in entries
    ]
    counts: dict[str, int] = {}
    for stem in stems:
        counts[stem.casefold()] = counts.get(stem.casefold(), 0) + 1
    names: list[str] = []
    used: set[str] = set()
    for entry, stem in zip(entries, stems, strict=True):
        # Every photo of a shared name is marked: neither is "the" IMG_0001.
        candidate = stem if counts[stem.casefold()] == 1 else f"{stem}-{entry.id}"
        k = 2
        while (candidate + SUFFIX).casefold() in used:
            candidate = f"{stem}-{entry.id}-{k}"
            k += 1
        used.add((candidate + SUFFIX).casefold())
        names.append(candidate + SUFFIX)
    return names


def _beside(entries: list[Entry]) -> list[Path]:
    """Beside each original, named after it (its name in the archive), so the tools pair them."""
    missing_originals(entries)
    targets = []
    for entry in entries:
        folder = entry.original.parent
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ExportError(
                f"photo {entry.id}: cannot write a sidecar beside its original: "
                f"{display_path(str(folder))} is not writable"
            )
        targets.append(entry.original.with_suffix(SUFFIX))
    return targets


def write_sidecars(
    catalog: Catalog,
    selection: Selection,
    out: Path | None = None,
    beside: bool = False,
    keep_location: bool = False,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelCheck | None = None,
) -> SidecarResult:
    """Write an XMP sidecar for every selected photo into `out`, or beside each original.

    Names, folders and existing files are checked before the first sidecar is
    written; an existing sidecar (perhaps another tool's edits) is replaced
    only with `overwrite`.
    """
    if (out is None) == (not beside):
        raise ExportError("write sidecars into a folder or beside the originals: one of the two")
    entries = load_chosen(catalog, selection.photo_ids)
    if out is not None:
        out = Path(out)
        prepare_folder(out)
        targets = [out / name for name in sidecar_names(entries)]
    else:
        targets = _beside(entries)
    check_free(targets, overwrite)
    if out is not None:
        make_folder(out)
    report = progress or (lambda _p: None)
    cancelled = cancel or (lambda: False)
    result = SidecarResult(folder=out)
    default_lang = catalog.default_language
    for entry, target in zip(entries, targets, strict=True):
        if cancelled():
            result.cancelled = True
            break
        warnings = write_sidecar(target, embedding(entry, default_lang, keep_location))
        shown = display_path(str(target))
        try:
            verify(target.read_bytes(), keep_location, shown)
        except BaseException:
            with contextlib.suppress(OSError):
                target.unlink()
            raise
        result.files.append(Written(entry.id, target, warnings))
        report(ExportProgress(len(result.files), len(entries), shown, "written"))
    return result
