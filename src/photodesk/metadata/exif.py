"""Camera facts from EXIF: exifread first, Pillow's getexif() where it is silent.

exifread finds nothing in phone files that put other APP segments before
their EXIF block, while Pillow reads those; Pillow in turn drops some tags
exifread decodes. Taking each field from whichever reader has it gives the
union without trusting either blindly.
"""

from __future__ import annotations

import io
import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any, BinaryIO

from exifread.core.exceptions import ExifNotFound, InvalidExif
from exifread.core.exif_header import ExifHeader
from exifread.core.find_exif import determine_type, get_endian_str
from PIL import Image

log = logging.getLogger(__name__)

# Pillow tag numbers, so this module needs no name tables.
_IFD_EXIF = 0x8769
_IFD_GPS = 0x8825
_MAKE, _MODEL, _ORIENTATION, _ARTIST, _COPYRIGHT = 0x010F, 0x0110, 0x0112, 0x013B, 0x8298
_DTO, _OFFSET_DTO, _SUBSEC_DTO = 0x9003, 0x9011, 0x9291
_LENS_MODEL, _BODY_SERIAL = 0xA434, 0xA431
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON, _GPS_ALT_REF, _GPS_ALT = 1, 2, 3, 4, 5, 6

# The tags exifread is let to decode: what ExifFacts holds, and the pointers to the
# EXIF and GPS IFDs (GPS tags share numbers 1-6 with other IFDs' rarely used ones).
_WANTED_TAGS = frozenset(
    {_MAKE, _MODEL, _ORIENTATION, _ARTIST, _COPYRIGHT, _IFD_EXIF, _IFD_GPS}
    | {_DTO, _OFFSET_DTO, _SUBSEC_DTO, _LENS_MODEL, _BODY_SERIAL}
    | {_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON, _GPS_ALT_REF, _GPS_ALT}
)
_MAX_DECODED = 256  # a camera writes each wanted tag once, some twenty in all; the rest is skipped
_MAX_VALUES = 64  # GPS coordinates are three numbers; nothing wanted is longer
_MAX_TEXT = 4096  # make, model, artist, copyright: a line each
# exifread is pure Python; on anything it has not finished by then, Pillow's reading stands.
EXIFREAD_SECONDS = 5.0


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
    gps_problem: str | None = None  # why a position that was there was not believed

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


class BadPosition(ValueError):
    """GPS values that cannot be a place: the message says why, for the import's warnings."""


@dataclass(frozen=True)
class _Axis:
    name: str
    positive: str
    negative: str
    limit: float


_LATITUDE = _Axis("latitude", "N", "S", 90.0)
_LONGITUDE = _Axis("longitude", "E", "W", 180.0)


def _degrees(parts: Any, ref: str | None, axis: _Axis) -> float | None:
    """Signed decimal degrees, None when absent, BadPosition when present but impossible.

    A wrong position is worse than none: minutes or seconds of 60 or more, a
    negative part, a value past the pole or the antimeridian, or a reference
    other than the axis's two letters all mean the camera (or a forger) wrote
    something that is not a place.
    """
    try:
        values = [_number(p) for p in list(parts)[:3]]
    except (TypeError, ValueError):
        return None
    if len(values) < 3 or None in values:
        return None
    d, m, s = (float(v or 0) for v in values)
    shown = f"{axis.name} {d:g}° {m:g}′ {s:g}″"
    if min(d, m, s) < 0:
        raise BadPosition(f"GPS {shown} has a negative part")
    if m >= 60 or s >= 60:
        raise BadPosition(f"GPS {shown} has minutes or seconds of 60 or more")
    value = d + m / 60 + s / 3600
    if value > axis.limit:
        raise BadPosition(f"GPS {shown} is beyond {axis.limit:g}°")
    hemisphere = (ref or "").strip().upper()
    if hemisphere not in (axis.positive, axis.negative):
        raise BadPosition(
            f"GPS {axis.name} reference {ref or ''!r} is not {axis.positive} or {axis.negative}"
        )
    return -value if hemisphere == axis.negative else value


def _position(facts: ExifFacts, lat: Any, lat_ref: Any, lon: Any, lon_ref: Any) -> bool:
    """Set the position from both axes; False (and the reason kept) when it is impossible."""
    try:
        facts.gps_lat = _degrees(lat, lat_ref, _LATITUDE)
        facts.gps_lon = _degrees(lon, lon_ref, _LONGITUDE)
    except BadPosition as exc:
        facts.gps_lat = facts.gps_lon = None
        facts.gps_problem = f"{exc}: position not stored"
        return False
    return True


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


class _Overtime(BaseException):
    """exifread ran past its time; a BaseException so no `except Exception` inside it stops it."""


class _BoundedHeader(ExifHeader):
    """exifread's IFD reader, held to work proportional to what photodesk reads.

    A hostile block can point many entries at one large IFD (K×M work), chain
    IFDs so each is reached along many paths (exponential), claim huge value
    counts, or ask for gigabytes of "text". Here each IFD is read once
    whatever points at it, only the tags photodesk uses are decoded, their
    number and sizes are capped, and the rest is skipped unread.
    """

    def __init__(self, fh: BinaryIO, endian: str, offset: int, fake_exif: int) -> None:
        super().__init__(fh, endian, offset, fake_exif, strict=False, detailed=False)
        self._seen: set[int] = set()
        self._decoded = 0

    def dump_ifd(self, ifd: int, ifd_name: str, *args: Any, **kwargs: Any) -> None:
        if ifd in self._seen:
            return
        self._seen.add(ifd)
        super().dump_ifd(ifd, ifd_name, *args, **kwargs)

    def _process_tag(
        self, ifd: int, ifd_name: str, tag_entry: Any, entry: int, tag: int, *rest: Any
    ) -> None:
        if tag not in _WANTED_TAGS or self._decoded >= _MAX_DECODED:
            return
        self._decoded += 1
        super()._process_tag(ifd, ifd_name, tag_entry, entry, tag, *rest)

    def _process_field(self, tag_name: str, count: int, *rest: Any) -> list:
        return [] if count > _MAX_VALUES else super()._process_field(tag_name, count, *rest)

    def _process_ascii_field(self, ifd_name: str, tag_name: str, count: int, offset: int) -> Any:
        return super()._process_ascii_field(ifd_name, tag_name, min(count, _MAX_TEXT), offset)


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt pure-Python work after `seconds` (main thread only: where signals land)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_signum: int, _frame: Any) -> None:
        raise _Overtime

    previous = signal.signal(signal.SIGALRM, expired)
    outer, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
        if outer:  # someone else's timer was running: it goes on, less the time spent here
            left = max(1e-3, outer - (time.monotonic() - started))
            signal.setitimer(signal.ITIMER_REAL, left, interval)


def _exifread_tags(data: bytes) -> dict[str, Any]:
    """exifread's tags of IFD0, EXIF and GPS, the way process_file finds them, but bounded."""
    fh = io.BytesIO(data)
    try:
        offset, endian, fake_exif = determine_type(fh)
    except (ExifNotFound, InvalidExif):
        return {}
    header = _BoundedHeader(fh, get_endian_str(endian)[0], offset, fake_exif)
    # IFD0 only: the thumbnail IFD and the chain after it hold nothing photodesk reads.
    header.dump_ifd(header.s2n(4, 4), "Image")
    exif_ifd = header.tags.get("Image ExifOffset")
    if exif_ifd and exif_ifd.values:
        header.dump_ifd(exif_ifd.values[0], "EXIF")
    return header.tags


def _from_exifread(data: bytes) -> ExifFacts:
    try:
        with _time_limit(EXIFREAD_SECONDS):
            tags = _exifread_tags(data)
    except _Overtime:
        log.debug("exifread took over %s s; Pillow's reading alone is used", EXIFREAD_SECONDS)
        return ExifFacts()
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
        lat_ref, lon_ref = tag_text("GPS GPSLatitudeRef"), tag_text("GPS GPSLongitudeRef")
        alt = tag("GPS GPSAltitude")
        if _position(facts, lat, lat_ref, lon, lon_ref) and alt:
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
        lat_ref, lon_ref = _text(gps.get(_GPS_LAT_REF)), _text(gps.get(_GPS_LON_REF))
        placed = _position(facts, gps[_GPS_LAT], lat_ref, gps[_GPS_LON], lon_ref)
        if placed and gps.get(_GPS_ALT) is not None:
            facts.gps_alt = _altitude(gps[_GPS_ALT], gps.get(_GPS_ALT_REF))
    return facts


def read_exif(data: bytes, image: Image.Image | None) -> ExifFacts:
    facts = _from_exifread(data)
    if image is not None:
        facts.fill_from(_from_pillow(image))
    if facts.orientation is not None and not 1 <= facts.orientation <= 8:
        facts.orientation = None
    if facts.gps_problem:
        # Either reader doubting the position is enough: the two disagree only on damage.
        facts.gps_lat = facts.gps_lon = facts.gps_alt = None
    _valid_coordinates(facts)
    return facts
