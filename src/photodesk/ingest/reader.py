"""Read one image: bytes in, facts out.

Pure: it touches neither the catalog nor the archive. Given a file's bytes
(and its XMP sidecar's, if any) it returns what the file says about itself
(pixel size, camera, GPS, date, captions, keywords, place) and a small upright
thumbnail, or raises `ReadError` with a one-line reason. A `MemoryError` is
left to the caller, which knows the budget that was exceeded.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, UnidentifiedImageError

from photodesk.ingest.sniff import sniff
from photodesk.ingest.thumbnails import encode, make_thumbnail
from photodesk.metadata import read_metadata
from photodesk.phash import dhash

log = logging.getLogger(__name__)

_heif_registered = False


class ReadError(Exception):
    """This file cannot be read; the message is the reason, for the import's problem list."""


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
class Facts:
    family: str  # the format family the first bytes say (sniff)
    record: dict[str, Any] = field(default_factory=dict)  # catalog values, metadata as read
    thumbnail: bytes = b""
    warnings: list[str] = field(default_factory=list)  # what was read but not believed


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


def family_of(data: bytes) -> str:
    """The image format family of these bytes, or ReadError."""
    if not data:
        raise ReadError("empty file (0 bytes)")
    family = sniff(data[:32])
    if family is None:
        raise ReadError("not an image")
    return family


def read_image(
    data: bytes,
    sidecar: bytes | None = None,
    default_lang: str = "en",
    step: Callable[[str], None] | None = None,
) -> Facts:
    """Everything the file says about itself, and its thumbnail.

    `step` hears "metadata" and "decode" as each starts, for whoever keeps the time.
    """
    _register_plugins()
    family = family_of(data)
    announce = step or (lambda _name: None)
    with warnings.catch_warnings():
        # Pillow warns about recoverable oddities (a malformed MPO index, an
        # invalid APNG chunk); the photo is still good.
        warnings.simplefilter("ignore")
        try:
            announce("metadata")
            image = Image.open(io.BytesIO(data))
            image_format = image.format or family
            meta = read_metadata(data, image, sidecar, default_lang)
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
            announce("decode")
            small = make_thumbnail(Image.open(io.BytesIO(data)), pixels_rotation)
            thumb, phash = encode(small), dhash(small)
        except MemoryError:
            raise
        except Exception as exc:  # any decoder failure is this file's problem, not the batch's
            raise ReadError(_describe(exc, family)) from exc
    exif = meta.exif
    record = {
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
        "captions": meta.captions,
        "fields": meta.fields,
        "keywords": meta.keywords,
        "place": meta.place,
        "places": meta.places,
        "taken": meta.taken,
        "phash": phash,
    }
    return Facts(family=family, record=record, thumbnail=thumb, warnings=meta.warnings)
