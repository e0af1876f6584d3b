"""Finding a batch's files, and telling at a glance which are images to read."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from photodesk.ingest.sniff import HEAD_SIZE, sniff

# Names that promise an image; a file so named that is not one is a problem,
# while any other non-image (notes, sidecars, .DS_Store) is merely skipped.
IMAGE_SUFFIXES = {
    ".jpg",
    ".jpeg",
    ".jpe",
    ".jfif",
    ".png",
    ".apng",
    ".gif",
    ".tif",
    ".tiff",
    ".webp",
    ".heic",
    ".heif",
    ".hif",
    ".avif",
    ".bmp",
    ".ico",
    ".icns",
    ".sgi",
    ".jp2",
    ".j2k",
    ".jpf",
    ".jpx",
    ".jxl",
    ".mpo",
    ".dng",
    ".arw",
    ".cr2",
    ".cr3",
    ".nef",
    ".nrw",
    ".orf",
    ".raf",
    ".rw2",
    ".pef",
    ".srw",
}


ScanError = Callable[[str, str], None]


def scan(
    paths: Iterable[str | os.PathLike[str]],
    exclude: Path | None = None,
    on_error: ScanError | None = None,
) -> Iterator[Path]:
    """Every file under `paths`, depth first in name order, each once, never inside `exclude`.

    Paths given twice, or a folder and a file inside it, yield each file once.
    Folders that cannot be read are reported through `on_error`, not skipped in silence.
    """
    report = on_error or (lambda _path, _reason: None)
    excluded = os.path.realpath(exclude) if exclude is not None else None
    seen: set[str] = set()

    def fresh(path: Path) -> bool:
        real = os.path.realpath(path)
        if real in seen:
            return False
        seen.add(real)
        return True

    def walk_error(exc: OSError) -> None:
        report(exc.filename or "?", f"cannot read the folder: {exc.strerror or exc}")

    for top in paths:
        top_path = Path(top).absolute()
        real_top = os.path.realpath(top_path)
        if excluded and (real_top == excluded or real_top.startswith(excluded + os.sep)):
            report(str(top_path), "is inside the archive itself; import the partner's files")
            continue
        if not top_path.is_dir():
            if fresh(top_path):
                yield top_path
            continue
        for root, dirs, files in os.walk(top_path, onerror=walk_error):
            root_path = Path(root)
            dirs[:] = sorted(d for d in dirs if os.path.realpath(root_path / d) != excluded)
            for name in sorted(files):
                if fresh(root_path / name):
                    yield root_path / name


@dataclass
class Candidate:
    """An image file to read: its format family by its first bytes, size and mtime."""

    family: str
    size: int
    mtime_ns: int


def classify(path: Path) -> Candidate | str:
    """A `Candidate` to read, "skip" for a non-image, or the reason the file is a problem."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return "skip"  # a pipe or device would block the batch on open()
        with open(path, "rb") as f:
            head = f.read(HEAD_SIZE)
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    named_like_image = path.suffix.casefold() in IMAGE_SUFFIXES
    if st.st_size == 0:
        return "empty file (0 bytes)" if named_like_image else "skip"
    family = sniff(head)
    if family is None:
        if named_like_image:
            return f"named like an image ({path.suffix}) but its contents are not one"
        return "skip"
    return Candidate(family, st.st_size, st.st_mtime_ns)
