"""One pass over one file: read once, hash, decode a thumbnail, read metadata.

This runs in worker processes during an import, so it takes and returns plain
data and never touches the catalog except to ask, read-only, whether a hash
is already known (so a renamed copy of a known photo costs a hash, not a decode).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import sqlite3
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from photodesk.config import Archive
from photodesk.files import write_atomic
from photodesk.metadata import find_sidecar, read_metadata
from photodesk.sniff import EXTENSIONS, sniff
from photodesk.text import display_path
from photodesk.thumbnails import make_thumbnail

log = logging.getLogger(__name__)

_heif_registered = False


def _register_plugins() -> None:
    global _heif_registered
    if not _heif_registered:
        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
        except ImportError:  # HEIC then becomes an "unsupported format" problem
            log.warning("pillow-heif is not installed; HEIC files cannot be decoded")
        _heif_registered = True


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


_known_conn: dict[str, sqlite3.Connection] = {}


def _known(db_path: str, sha256: str) -> bool:
    if not os.path.exists(db_path):
        return False
    try:
        conn = _known_conn.get(db_path)
        if conn is None:
            conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
            _known_conn[db_path] = conn
        return (
            conn.execute("SELECT 1 FROM photos WHERE sha256 = ?", (sha256,)).fetchone() is not None
        )
    except sqlite3.Error:
        return False  # the writer settles duplicates anyway; this is only a shortcut


def _pixel_size(image: Image.Image) -> tuple[int, int]:
    """The stored pixel size, as exiftool reports it.

    pillow-heif hands back HEIF/AVIF images already turned by their `irot`
    box; undo the quarter turns for the stored size. The
    transforms are only reachable through pillow-heif's internals, so any
    change there falls back to the decoded size.
    """
    w, h = image.size
    if image.format not in ("HEIF", "AVIF"):
        return w, h
    try:
        # libheif applies only `irot`; the EXIF orientation of such files
        # repeats it and pillow-heif resets it, so `irot` alone decides.
        frame = image._heif_file[image.tell()]  # type: ignore[attr-defined]
        turns = [t for t in frame._c_image.transformations if t[0] == "irot"]
        quarter_turn = any(t[1] in (90, 270) for t in turns)
    except (AttributeError, IndexError, TypeError):
        quarter_turn = image.info.get("original_orientation") in (5, 6, 7, 8)
    return (h, w) if quarter_turn else (w, h)


def _describe(exc: BaseException, family: str) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, Image.DecompressionBombError):
        return f"refused as a possible decompression bomb: {text}"
    if isinstance(exc, UnidentifiedImageError):
        return f"looks like {family} by its first bytes but no decoder can read it"
    if isinstance(exc, (OSError, SyntaxError, ValueError, EOFError)) and "truncated" in text:
        return f"image data is truncated ({family}): {text}"
    return f"cannot decode this {family} file: {text}"


def inspect(job: Job) -> Inspected:
    _register_plugins()
    result = Inspected(path=job.path, size=job.size, mtime_ns=job.mtime_ns, status="problem")
    path = Path(job.path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        result.reason = f"cannot read the file: {exc.strerror or exc}"
        return result
    if not data:
        result.reason = "empty file (0 bytes)"
        return result
    family = sniff(data[:32])
    if family is None:
        result.reason = "not an image"
        return result
    result.sha256 = sha = hashlib.sha256(data).hexdigest()
    if _known(str(job.archive.db_path), sha):
        result.status = "duplicate"
        return result

    with warnings.catch_warnings():
        # Pillow warns about recoverable oddities (a malformed MPO index, an
        # invalid APNG chunk); the photo is still good.
        warnings.simplefilter("ignore")
        try:
            image = Image.open(io.BytesIO(data))
            image_format = image.format or family
            sidecar_path = find_sidecar(path)
            sidecar = sidecar_path.read_bytes() if sidecar_path else None
            meta = read_metadata(data, image, sidecar, job.default_lang)
            orientation = meta.exif.orientation
            if image_format in ("HEIF", "AVIF"):
                orientation = image.info.get("original_orientation") or orientation
                pixels_rotation = None  # pillow-heif already turned the pixels upright
            else:
                pixels_rotation = orientation
            width, height = _pixel_size(image)
            # A fresh decoder for the pixels: metadata readers may have started a
            # load that failed quietly, after which Pillow would hand back a
            # half-decoded image without complaint.
            thumb = make_thumbnail(Image.open(io.BytesIO(data)), pixels_rotation)
        except MemoryError:
            result.reason = f"too large to decode in memory ({family})"
            return result
        except Exception as exc:  # any decoder failure is this file's problem, not the batch's
            result.reason = _describe(exc, family)
            return result

    try:
        thumb_path = job.archive.thumb_path(sha)
        write_atomic(thumb_path, thumb)
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

    exif = meta.exif
    result.status = "new"
    result.record = {
        "sha256": sha,
        "file_name": display_path(path.name),
        "file_size": len(data),
        "format": image_format,
        "width": width,
        "height": height,
        "orientation": orientation,
        "camera_make": exif.make,
        "camera_model": exif.model,
        "lens_model": exif.lens,
        "body_serial": exif.serial,
        "gps_lat": exif.gps_lat,
        "gps_lon": exif.gps_lon,
        "gps_alt": exif.gps_alt,
        "exif_taken": exif.taken,
        "exif_offset": exif.offset,
        "exif_subsec": exif.subsec,
        "date_created": meta.date_created,
        "original_path": stored_original,
        "thumb_path": str(thumb_path),
        "sidecar_path": str(sidecar_path) if sidecar_path else None,
        "captions": meta.captions,
        "fields": meta.fields,
        "keywords": meta.keywords,
        "place": meta.place,
    }
    return result
