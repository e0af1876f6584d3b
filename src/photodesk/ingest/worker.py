"""What one import worker does with one file: read it once, and file what it found.

Runs in worker processes, so it takes and returns plain data. It hashes the
bytes, asks the catalog (read-only) whether they are known already, so a
renamed copy of a known photo costs a hash, not a decode, then lets the
reader take the facts and writes the thumbnail and the archived original.
The catalog rows are written by the importing process (`store`).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from photodesk.catalog import Catalog, CatalogError, photos
from photodesk.config import Archive
from photodesk.files import write_atomic
from photodesk.ingest.reader import ReadError, family_of, read_image
from photodesk.ingest.sniff import EXTENSIONS
from photodesk.metadata import find_sidecar
from photodesk.text import display_path


@dataclass
class Job:
    path: str
    size: int
    mtime_ns: int
    archive: Archive
    copy: bool  # False: record the path only (--in-place)
    default_lang: str = "en"


@dataclass
class Inspected:
    path: str
    size: int
    mtime_ns: int
    status: str  # "new", "duplicate" or "problem"
    sha256: str | None = None
    reason: str | None = None
    record: dict[str, Any] = field(default_factory=dict)


@functools.cache
def _catalog(archive: Archive) -> Catalog | None:
    # One read-only connection per worker process, kept for the whole batch.
    return Catalog.open_readonly(archive)


def _known(archive: Archive, sha256: str) -> bool:
    catalog = _catalog(archive)
    if catalog is None:
        _catalog.cache_clear()  # the importer creates the catalog; look again next time
        return False
    try:
        with catalog.guard():
            return photos.sha_exists(catalog.db, sha256) is not None
    except CatalogError:
        return False  # the writer settles duplicates anyway; this is only a shortcut


def inspect(job: Job) -> Inspected:
    result = Inspected(path=job.path, size=job.size, mtime_ns=job.mtime_ns, status="problem")
    path = Path(job.path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        result.reason = f"cannot read the file: {exc.strerror or exc}"
        return result
    try:
        family = family_of(data)
        result.sha256 = sha = hashlib.sha256(data).hexdigest()
        if _known(job.archive, sha):
            result.status = "duplicate"
            return result
        sidecar_path = find_sidecar(path)
        sidecar = sidecar_path.read_bytes() if sidecar_path else None
        facts = read_image(data, sidecar, job.default_lang)
    except ReadError as exc:
        result.reason = str(exc)
        return result
    except OSError as exc:  # the sidecar
        result.reason = f"cannot read the sidecar: {exc.strerror or exc}"
        return result
    try:
        thumb_path = job.archive.thumb_path(sha)
        write_atomic(thumb_path, facts.thumbnail)
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
        "thumb_path": str(thumb_path),
        "sidecar_path": str(sidecar_path) if sidecar_path else None,
    }
    return result
