"""What one import worker does with one file, in each of the import's two phases.

Runs in worker processes, so it takes and returns plain data.

First phase (`Job` without a photo id): read the bytes once (only a regular
file, only within the size limit, and again if they changed while being
read), hash them, ask the catalog (read-only) whether they are known already,
so a renamed copy of a known photo costs a hash and nothing more, let the
reader take the facts and the preview embedded in the file, and write that
preview and the archived original. No pixels are decoded: this is what makes
a batch searchable long before its thumbnails exist.

Second phase (`Job` with a photo id): decode the pixels at reduced scale and
write the real thumbnail. A thumbnail already at its content-addressed place
was written by a run killed before it could record it: it is read, not made
again.

The catalog rows are written by the importing process (`store`). Each step
announces itself through `step()`, so the pool that watches the worker can
say which one ran out of time ("took longer than 60 s to read its metadata").
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from photodesk.catalog import Catalog, CatalogError, photos
from photodesk.config import Archive, Budgets, size_text
from photodesk.files import write_atomic
from photodesk.ingest.reader import ReadError, family_of, read_image, thumbnail_of
from photodesk.ingest.sniff import EXTENSIONS
from photodesk.metadata import find_sidecar
from photodesk.text import display_path

# What each step is doing, as the end of "took longer than 60 s …".
STEPS = {
    "read": "to read the file",
    "sidecar": "to read its sidecar",
    "metadata": "to read its metadata",
    "preview": "to read its embedded preview",
    "decode": "to decode its pixels",
    "archive": "to write its thumbnail and archived copy",
}
# A sidecar is a few kilobytes of XML; anything this big is not one.
SIDECAR_LIMIT = 16 << 20
# A 512 px JPEG is a few dozen kilobytes; a file this big in its place is not one.
THUMB_LIMIT = 16 << 20
# How long a file that changed while it was read gets to settle before the one retry.
SETTLE_SECONDS = 0.2

StepReporter = Callable[[str], None]
_reporter: StepReporter | None = None
_current = "read"


def report_steps(reporter: StepReporter | None) -> None:
    """Have `step()` tell `reporter` (the pool's worker loop) each step as it starts."""
    global _reporter
    _reporter = reporter


def step(name: str) -> None:
    global _current
    _current = name
    if _reporter is not None:
        _reporter(name)


def current_step() -> str:
    return _current


@dataclass
class Job:
    path: str
    size: int
    mtime_ns: int
    archive: Archive
    copy: bool  # False: record the path only (--in-place)
    default_lang: str = "en"
    budgets: Budgets | None = None  # None: the defaults and the environment's
    # Second phase: the catalogued photo whose thumbnail to make, its content and orientation.
    photo_id: int | None = None
    sha256: str | None = None
    orientation: int | None = None


@dataclass
class Inspected:
    path: str
    size: int
    mtime_ns: int
    status: str  # "new", "duplicate", "thumbnail" (second phase) or "problem"
    sha256: str | None = None
    reason: str | None = None
    record: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # the file imports, with these said


class Changed(ReadError):
    """The file changed while it was read: the bytes are no one version of it."""


@functools.cache
def _catalog(archive: Archive) -> Catalog | None:
    # One read-only connection per worker process, kept for the whole batch.
    return Catalog.open_readonly(archive)


def _known(archive: Archive, sha256: str) -> bool:
    """Catalogued already, with its original and thumbnail in place: nothing to do.

    A photo whose archived files have gone missing is read again, so that
    importing the same bytes restores its original and rebuilds its thumbnail.
    """
    catalog = _catalog(archive)
    if catalog is None:
        _catalog.cache_clear()  # the importer creates the catalog; look again next time
        return False
    try:
        with catalog.guard():
            photo_id = photos.sha_exists(catalog.db, sha256)
            row = photos.row(catalog.db, photo_id) if photo_id is not None else None
            return row is not None and not catalog.missing_files(row)
    except CatalogError:
        return False  # the writer settles duplicates anyway; this is only a shortcut


def _not_regular(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        kind = "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    elif stat.S_ISDIR(mode):
        kind = "a folder"
    else:
        kind = "not a regular file"
    return f"{kind}, not an image file: not read"


def read_regular(path: Path, limit: int, what: str = "the file") -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file no larger than `limit`, and the stat they belong to.

    Opened non-blocking and judged by `fstat` on the open file, so a FIFO or a
    device put in a file's place is refused rather than waited on; the size is
    checked before anything is read, and only that many bytes are asked for.
    Raises ReadError, or Changed when the size or mtime moved during the read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise ReadError(f"cannot read {what}: {exc.strerror or exc}") from exc
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise ReadError(_not_regular(before.st_mode))
        if before.st_size > limit:
            raise ReadError(
                f"{what} is {size_text(before.st_size)}, larger than the "
                f"{size_text(limit)} limit: not read"
            )
        data = _read_upto(fd, before.st_size + 1)  # one byte more shows a file still growing
        after = os.fstat(fd)
    except OSError as exc:
        raise ReadError(f"cannot read {what}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)
    if len(data) != before.st_size or _version(after) != _version(before):
        raise Changed(f"{what} changed while it was read (is it still being written?)")
    return data, before


def _version(st: os.stat_result) -> tuple[int, int]:
    return st.st_size, st.st_mtime_ns


def _read_upto(fd: int, count: int) -> bytes:
    # One read() takes a whole file up to 2 GiB; the loop is for larger limits
    # and for file systems that hand back less.
    data = os.read(fd, count)
    if len(data) in (0, count):
        return data
    parts = [data]
    got = len(data)
    while got < count and (chunk := os.read(fd, count - got)):
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _read_settled(path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """The file's bytes; a file that changes while read gets one more try."""
    try:
        return read_regular(path, limit)
    except Changed:
        time.sleep(SETTLE_SECONDS)
    return read_regular(path, limit)


def _sidecar(path: Path, warnings: list[str]) -> tuple[Path | None, bytes | None]:
    """The sidecar beside `path` and its bytes; a sidecar that fails is a warning, never fatal."""
    found = find_sidecar(path, on_error=warnings.append)
    if found is None:
        return None, None
    try:
        data, _ = read_regular(found, SIDECAR_LIMIT, what="its sidecar")
    except ReadError as exc:
        warnings.append(f"{exc} ({display_path(found.name)}); imported without it")
        return None, None
    return found, data


def inspect(job: Job) -> Inspected:
    """Do one job of either phase (the pool's workers take both alike)."""
    if job.photo_id is not None:
        return _thumbnail(job)
    return _catalogue(job)


def preview_path(archive: Archive, sha256: str) -> Path:
    """Where a photo's embedded preview waits, beside where its real thumbnail will be."""
    return archive.thumb_path(sha256).with_suffix(".preview.jpg")


def _catalogue(job: Job) -> Inspected:
    result = Inspected(path=job.path, size=job.size, mtime_ns=job.mtime_ns, status="problem")
    path = Path(job.path)
    limits = job.budgets or Budgets.from_env()
    try:
        step("read")
        data, st = _read_settled(path, limits.file_size)
        # What is recorded is what was read, even if the file changed since the scan.
        result.size, result.mtime_ns = st.st_size, st.st_mtime_ns
        family = family_of(data)
        result.sha256 = sha = hashlib.sha256(data).hexdigest()
        if _known(job.archive, sha):
            result.status = "duplicate"
            return result
        step("sidecar")
        sidecar_path, sidecar = _sidecar(path, result.warnings)
        facts = read_image(data, sidecar, job.default_lang, step=step)
    except ReadError as exc:
        result.reason = str(exc)
        return result
    result.warnings.extend(facts.warnings)
    step("archive")
    try:
        thumb_path = None
        if facts.preview:
            thumb_path = preview_path(job.archive, sha)
            write_atomic(thumb_path, facts.preview)
        if job.copy:
            original = job.archive.original_path(sha, EXTENSIONS.get(family, ".img"))
            if not original.exists():
                write_atomic(original, data, mode=0o444)
            stored_original = str(original)
        else:
            stored_original = str(path)
    except OSError as exc:
        result.reason = f"cannot write to the archive: {exc.strerror or exc}"
        return result
    result.status = "new"
    result.record = facts.record | {
        "sha256": sha,
        "file_name": display_path(path.name),
        "original_path": stored_original,
        "thumb_path": str(thumb_path) if thumb_path else None,
        "thumb_pending": 1,
        "sidecar_path": str(sidecar_path) if sidecar_path else None,
    }
    return result


def _thumbnail(job: Job) -> Inspected:
    """The real thumbnail of a catalogued photo, made at most once whatever was killed when."""
    sha = job.sha256 or ""
    result = Inspected(
        path=job.path,
        size=job.size,
        mtime_ns=job.mtime_ns,
        status="problem",
        sha256=sha,
        record={"photo_id": job.photo_id},
    )
    target = job.archive.thumb_path(sha)
    limits = job.budgets or Budgets.from_env()
    try:
        step("read")
        if target.is_file():  # made by a run killed before it could say so
            made, _ = read_regular(target, THUMB_LIMIT, what="its thumbnail")
            step("decode")
            _, phash = thumbnail_of(made, None)
        else:
            data, _ = _read_settled(Path(job.path), limits.file_size)
            if not job.copy and hashlib.sha256(data).hexdigest() != sha:
                # Imported in place: the file is the user's, and may have changed since.
                raise ReadError("the file changed after it was catalogued; import it again")
            step("decode")
            made, phash = thumbnail_of(data, job.orientation)
            step("archive")
            write_atomic(target, made)
    except ReadError as exc:
        result.reason = str(exc)
        return result
    except OSError as exc:
        result.reason = f"cannot write to the archive: {exc.strerror or exc}"
        return result
    result.status = "thumbnail"
    result.record |= {"thumb_path": str(target), "phash": phash}
    return result
