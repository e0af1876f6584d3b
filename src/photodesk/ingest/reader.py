"""Read one image: bytes in, facts out.

Pure: it touches neither the catalog nor the archive. Given a file's bytes
(and its XMP sidecar's, if any) it returns what the file says about itself
(pixel size, camera, GPS, date, captions, keywords, place) and the preview
embedded in it, if any (`read_image`, the import's first phase, which decodes
no pixels); or its real upright thumbnail and perceptual hash (`thumbnail_of`,
the second phase, which decodes them at the smallest scale it can). Failures are
`ReadError` with a one-line reason. A `MemoryError` is left to the caller,
which knows the budget that was exceeded.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PIL import ExifTags, Image, UnidentifiedImageError

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
    preview: bytes = b""  # the file's own preview, upright, as a JPEG; b"" when it has none
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
    """Everything the file says about itself, and its embedded preview; no pixels decoded.

    `step` hears "metadata" and "preview" as each starts, for whoever keeps the time.
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
            announce("preview")
            preview = _embedded_preview(data, image, pixels_rotation)
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
        "phash": None,  # from the real thumbnail's pixels, in the second phase
    }
    return Facts(family=family, record=record, preview=preview, warnings=meta.warnings)


# An embedded preview bigger than this is not a preview: decoding it could cost
# what the first phase exists to avoid (and a hostile header could claim anything).
_PREVIEW_MAX_PIXELS = 2048 * 2048


def _embedded_preview(data: bytes, image: Image.Image, rotation: int | None) -> bytes:
    """The preview the camera embedded, upright, as a JPEG; b"" when there is none.

    JPEG: the EXIF thumbnail (IFD1), turned by the photo's orientation, which
    it shares. HEIC: the smallest embedded thumbnail, which libheif hands back
    already turned. Never fatal: a broken preview only means waiting for the
    real thumbnail.
    """
    try:
        if image.format in ("HEIF", "AVIF"):
            fresh = Image.open(io.BytesIO(data))
            if fresh.draft("RGB", (64, 64)) is None:  # no thumbnail: never decode the photo here
                return b""
            return encode(make_thumbnail(fresh, None))
        raw = image.info.get("exif")
        if not isinstance(raw, bytes):
            return b""
        ifd1 = image.getexif().get_ifd(ExifTags.IFD.IFD1)
        start, length = ifd1.get(0x0201), ifd1.get(0x0202)
        if not isinstance(start, int) or not isinstance(length, int) or length <= 0:
            return b""
        tiff = raw[6:] if raw.startswith(b"Exif\x00\x00") else raw
        small = Image.open(io.BytesIO(tiff[start : start + length]))
        if small.format != "JPEG" or small.width * small.height > _PREVIEW_MAX_PIXELS:
            return b""
        return encode(make_thumbnail(small, rotation))
    except MemoryError:
        raise
    except Exception:  # the photo is still good without its preview
        log.debug("embedded preview unreadable", exc_info=True)
        return b""


def thumbnail_of(data: bytes, orientation: int | None) -> tuple[bytes, str | None]:
    """The real thumbnail (an upright JPEG) and the perceptual hash of these bytes' pixels.

    `orientation` is the catalog's; HEIF/AVIF pixels come out of libheif
    already upright, so it is not applied to them again.
    """
    _register_plugins()
    family = family_of(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            # A fresh decoder, never one a metadata reader has touched: a load that
            # failed quietly there would hand back a half-decoded image.
            image = Image.open(io.BytesIO(data))
            rotation = None if image.format in ("HEIF", "AVIF") else orientation
            small = make_thumbnail(image, rotation)
            return encode(small), dhash(small)
        except MemoryError:
            raise
        except Exception as exc:
            raise ReadError(_describe(exc, family)) from exc
