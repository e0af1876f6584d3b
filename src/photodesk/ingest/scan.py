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


def _inside(real: str, top: str) -> bool:
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def scan(
    paths: Iterable[str | os.PathLike[str]],
    exclude: Path | None = None,
    on_error: ScanError | None = None,
    follow_links: bool = False,
    on_skip: ScanError | None = None,
) -> Iterator[Path]:
    """Every file under `paths`, depth first in name order, each once, never inside `exclude`.

    Paths given twice, or a folder and a file inside it, yield each file once.
    Symbolic links, the policy in one place:
    - a link to a file or folder inside the folder being imported is followed;
    - a link that leads outside it is reported and skipped, unless `follow_links`;
    - a broken link, and a link back to a folder already being walked (a loop),
      are reported.
    Nothing is passed over without a line: what is wrong (a broken link, a
    folder that cannot be read) through `on_error`, what the policy leaves out
    (links outside, loops) through `on_skip`.
    """
    report = on_error or (lambda _path, _reason: None)
    passed_over = on_skip or report
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

    def allowed_link(path: Path, top: str) -> bool:
        """Whether to go through a symbolic link, saying why not when it is refused."""
        real = os.path.realpath(path)
        if not os.path.exists(real):
            report(str(path), f"broken symbolic link (to {os.readlink(path)}): skipped")
            return False
        if excluded and _inside(real, excluded):
            passed_over(str(path), "symbolic link into the archive itself: skipped")
            return False
        if not follow_links and not _inside(real, top):
            passed_over(
                str(path),
                f"symbolic link to {real}, outside the folder being imported: skipped "
                "(--follow-links imports such files too)",
            )
            return False
        return True

    def walk(folder: Path, top: str, walking: set[str]) -> Iterator[Path]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            walk_error(exc)
            return
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink() and not allowed_link(path, top):
                continue
            try:
                is_dir = entry.is_dir()  # through a link, its target
            except OSError as exc:
                report(str(path), f"cannot read: {exc.strerror or exc}")
                continue
            if is_dir:
                real = os.path.realpath(path)
                if excluded and real == excluded:
                    continue
                if real in walking:
                    passed_over(str(path), f"symbolic link loop (back to {real}): not walked again")
                    continue
                yield from walk(path, top, walking | {real})
            elif fresh(path):
                yield path

    for given in paths:
        top_path = Path(given).absolute()
        real_top = os.path.realpath(top_path)
        if excluded and _inside(real_top, excluded):
            report(str(top_path), "is inside the archive itself; import the partner's files")
            continue
        if not top_path.is_dir():
            if fresh(top_path):
                yield top_path
            continue
        yield from walk(top_path, real_top, {real_top})


def _not_a_file(mode: int) -> str:
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    return f"{kind}, not an image file: not read"


@dataclass
class Candidate:
    """An image file to read: its format family by its first bytes, size and mtime."""

    family: str
    size: int
    mtime_ns: int


def classify(path: Path) -> Candidate | str:
    """A `Candidate` to read, "skip" for a non-image, or the reason the file is a problem."""
    named_like_image = path.suffix.casefold() in IMAGE_SUFFIXES
    try:
        # Non-blocking, and checked on the open file itself: a FIFO put in a file's
        # place after the scan would otherwise block the whole batch on open().
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return _not_a_file(st.st_mode) if named_like_image else "skip"
            head = os.read(fd, HEAD_SIZE)
        finally:
            os.close(fd)
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    if st.st_size == 0:
        return "empty file (0 bytes)" if named_like_image else "skip"
    family = sniff(head)
    if family is None:
        if named_like_image:
            return f"named like an image ({path.suffix}) but its contents are not one"
        return "skip"
    return Candidate(family, st.st_size, st.st_mtime_ns)
