"""Camera facts from EXIF: exifread first, Pillow's getexif() where it is silent.

exifread finds nothing in phone files that put other APP segments before
their EXIF block, while Pillow reads those; Pillow in turn drops some tags
exifread decodes. Taking each field from whichever reader has it gives the
union without trusting either blindly.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any

import exifread
from PIL import Image

log = logging.getLogger(__name__)

# Pillow tag numbers, so this module needs no name tables.
_IFD_EXIF = 0x8769
_IFD_GPS = 0x8825
_MAKE, _MODEL, _ORIENTATION, _ARTIST, _COPYRIGHT = 0x010F, 0x0110, 0x0112, 0x013B, 0x8298
_DTO, _OFFSET_DTO, _SUBSEC_DTO = 0x9003, 0x9011, 0x9291
_LENS_MODEL, _BODY_SERIAL = 0xA434, 0xA431
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON, _GPS_ALT_REF, _GPS_ALT = 1, 2, 3, 4, 5, 6


@dataclass
class ExifFacts:
    taken: str | None = None  # raw DateTimeOriginal as the camera wrote it
    offset: str | None = None
    subsec: str | None = None
    make: str | None = None
    model: str | None = None
    lens: str | None = None
    serial: str | None = None
    orientation: int | None = None
    artist: str | None = None
    copyright: str | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_alt: float | None = None

    def fill_from(self, other: ExifFacts) -> None:
        for f in fields(self):
            if getattr(self, f.name) is None:
                setattr(self, f.name, getattr(other, f.name))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value).replace("\x00", " ").strip()
    return text or None


def _number(value: Any) -> float | None:
    try:
        if hasattr(value, "num") and hasattr(value, "den"):  # exifread Ratio
            return float(Fraction(value.num, value.den)) if value.den else None
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None


def _degrees(parts: Any, ref: str | None, negative_ref: str) -> float | None:
    try:
        d, m, s = (_number(p) for p in list(parts)[:3])
    except (TypeError, ValueError):
        return None
    if d is None or m is None or s is None:
        return None
    value = d + m / 60 + s / 3600
    if not -180 <= value <= 180:
        return None
    if ref and ref.strip().upper().startswith(negative_ref):
        value = -value
    return value


def _altitude(alt: Any, ref: Any) -> float | None:
    value = _number(alt)
    if value is None:
        return None
    below = ref in (1, b"\x01", "1") or (isinstance(ref, list) and ref[:1] == [1])
    return -value if below else value


def _valid_coordinates(facts: ExifFacts) -> None:
    """A 0,0 fix or half a coordinate is a camera without a fix, not a place."""
    lat, lon = facts.gps_lat, facts.gps_lon
    if lat is None or lon is None or abs(lat) > 90 or (lat == 0 and lon == 0):
        facts.gps_lat = facts.gps_lon = facts.gps_alt = None


def _from_exifread(data: bytes) -> ExifFacts:
    try:
        tags = exifread.process_file(io.BytesIO(data), details=False, extract_thumbnail=False)
    except Exception as exc:  # exifread raises anything on malformed blocks
        log.debug("exifread failed: %s", exc)
        return ExifFacts()

    def tag(name: str) -> Any:
        t = tags.get(name)
        return t.values if t is not None else None

    def tag_text(name: str) -> str | None:
        t = tags.get(name)
        return _text(t.printable if t is not None else None)

    facts = ExifFacts(
        taken=tag_text("EXIF DateTimeOriginal"),
        offset=tag_text("EXIF OffsetTimeOriginal"),
        subsec=tag_text("EXIF SubSecTimeOriginal"),
        make=tag_text("Image Make"),
        model=tag_text("Image Model"),
        lens=tag_text("EXIF LensModel"),
        serial=tag_text("EXIF BodySerialNumber"),
        artist=tag_text("Image Artist"),
        copyright=tag_text("Image Copyright"),
    )
    orientation = tag("Image Orientation")
    if orientation:
        facts.orientation = int(orientation[0]) if isinstance(orientation, list) else None
    lat, lon = tag("GPS GPSLatitude"), tag("GPS GPSLongitude")
    if lat and lon:
        facts.gps_lat = _degrees(lat, tag_text("GPS GPSLatitudeRef"), "S")
        facts.gps_lon = _degrees(lon, tag_text("GPS GPSLongitudeRef"), "W")
        alt = tag("GPS GPSAltitude")
        if alt:
            facts.gps_alt = _altitude(alt[0], tag("GPS GPSAltitudeRef"))
    return facts


def _from_pillow(image: Image.Image) -> ExifFacts:
    try:
        exif = image.getexif()
        sub = exif.get_ifd(_IFD_EXIF)
        gps = exif.get_ifd(_IFD_GPS)
    except Exception as exc:  # malformed IFDs raise from deep inside Pillow
        log.debug("Pillow getexif failed: %s", exc)
        return ExifFacts()
    facts = ExifFacts(
        taken=_text(sub.get(_DTO)),
        offset=_text(sub.get(_OFFSET_DTO)),
        subsec=_text(sub.get(_SUBSEC_DTO)),
        make=_text(exif.get(_MAKE)),
        model=_text(exif.get(_MODEL)),
        lens=_text(sub.get(_LENS_MODEL)),
        serial=_text(sub.get(_BODY_SERIAL)),
        artist=_text(exif.get(_ARTIST)),
        copyright=_text(exif.get(_COPYRIGHT)),
    )
    orientation = exif.get(_ORIENTATION)
    if isinstance(orientation, int):
        facts.orientation = orientation
    if gps.get(_GPS_LAT) and gps.get(_GPS_LON):
        facts.gps_lat = _degrees(gps[_GPS_LAT], _text(gps.get(_GPS_LAT_REF)), "S")
        facts.gps_lon = _degrees(gps[_GPS_LON], _text(gps.get(_GPS_LON_REF)), "W")
        if gps.get(_GPS_ALT) is not None:
            facts.gps_alt = _altitude(gps[_GPS_ALT], gps.get(_GPS_ALT_REF))
    return facts


def read_exif(data: bytes, image: Image.Image | None) -> ExifFacts:
    facts = _from_exifread(data)
    if image is not None:
        facts.fill_from(_from_pillow(image))
    if facts.orientation is not None and not 1 <= facts.orientation <= 8:
        facts.orientation = None
    _valid_coordinates(facts)
    return facts
