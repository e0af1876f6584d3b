"""What in an image's bytes can identify who made it: where the camera stood, which camera, whose.

The desk's partners work near a border; a published file that still carries
their GPS position or their camera's serial number can expose them. This
module names what a file carries, in words a manifest can print ("GPS
position", "body serial number"); it changes nothing. Publishing calls it on
each original (what the copy leaves out) and on each written copy (which must
name nothing, or the export fails).

exiv2 (through pyexiv2) decodes EXIF, maker notes, IPTC and XMP; a walk over
a JPEG's segments catches what exiv2 does not report: comments, JFIF and
Photoshop thumbnails, multi-picture previews and blocks nobody recognises.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable, Iterator
from typing import Any

import pyexiv2

from photodesk.errors import PhotodeskError

__all__ = [
    "BODY_SERIAL",
    "GPS",
    "LENS_SERIAL",
    "MAKER_NOTES",
    "THUMBNAIL",
    "UnreadableMetadata",
    "identifying",
]

GPS = "GPS position"
BODY_SERIAL = "body serial number"
LENS_SERIAL = "lens serial number"
OWNER = "camera owner name"
ARTIST = "artist name"
MAKER_NOTES = "maker notes"
THUMBNAIL = "embedded thumbnail"
PREVIEW = "embedded preview image"
FILE_NAME = "original file name"
HISTORY = "editing history"
DOCUMENT_IDS = "document and image IDs"
REGIONS = "face regions"
PEOPLE = "people named in the image"
COMMENT = "file comment"
COMPUTER = "computer name"
UNKNOWN_BLOCK = "unrecognised metadata block"

# The order a manifest lists them in: the most dangerous first.
ORDER = (
    GPS,
    BODY_SERIAL,
    LENS_SERIAL,
    OWNER,
    ARTIST,
    COMPUTER,
    MAKER_NOTES,
    THUMBNAIL,
    PREVIEW,
    FILE_NAME,
    HISTORY,
    DOCUMENT_IDS,
    REGIONS,
    PEOPLE,
    COMMENT,
    UNKNOWN_BLOCK,
)

_MUTE = 4  # pyexiv2's log level that prints nothing

# EXIF groups of the standard itself (exiv2's names); any other group is a maker note
# that exiv2 decoded (Canon, Nikon3, Fujifilm, Sony1…), whose contents vary by maker.
_STANDARD_EXIF = re.compile(r"Image\d*|Photo|Iop|GPSInfo|Thumbnail|SubImage\d+|SubThumb\d+")
# Names that may say whose file this is; equal to the credited creator, they say nothing new.
_NAMES = {"CameraOwnerName": OWNER, "OwnerName": OWNER, "Artist": ARTIST, "XPAuthor": ARTIST}
_EXIF_TAGS = {
    "HostComputer": COMPUTER,
    "ImageUniqueID": DOCUMENT_IDS,
    "DocumentName": FILE_NAME,
    "OriginalRawFileName": FILE_NAME,
}
_XMP_PROPERTIES = {
    "PreservedFileName": FILE_NAME,
    "RawFileName": FILE_NAME,
    "filePath": FILE_NAME,
    "DocumentName": FILE_NAME,
    "History": HISTORY,
    "DerivedFrom": HISTORY,
    "Ingredients": HISTORY,
    "Pantry": HISTORY,
    "Manifest": HISTORY,
    "DocumentAncestors": HISTORY,  # Photoshop: the IDs of every file pasted in
    "DocumentID": DOCUMENT_IDS,
    "InstanceID": DOCUMENT_IDS,
    "OriginalDocumentID": DOCUMENT_IDS,
    "ImageUniqueID": DOCUMENT_IDS,
    "Regions": REGIONS,  # mwg-rs (Lightroom, digiKam, Picasa)
    "RegionInfo": REGIONS,  # MP (Windows Photo Gallery)
    "ImageRegion": REGIONS,  # IPTC Extension
    "PersonInImage": PEOPLE,
    "PersonInImageWDetails": PEOPLE,
    "Thumbnails": THUMBNAIL,
}
_XMP_PREFIXES = {"mwg-rs": REGIONS, "MP": REGIONS, "MPRI": REGIONS, "MPReg": REGIONS}
_XMP_PROPERTY = re.compile(r"[\w-]+:(\w+)")

_SOS, _EOI, _COM = 0xDA, 0xD9, 0xFE
_APP0, _APP1, _APP2, _APP13, _APP14 = 0xE0, 0xE1, 0xE2, 0xED, 0xEE
_PHOTOSHOP_THUMBNAILS = (0x0409, 0x040C)


class UnreadableMetadata(PhotodeskError):
    """exiv2 cannot read these bytes: nothing can be said about what they carry."""


def _text(value: Any) -> str:
    """Undo the Latin-1 read (which never fails) for values tools wrote as UTF-8."""
    if isinstance(value, dict):
        return " ".join(_text(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_text(v) for v in value)
    raw = str(value).encode("latin-1", "replace")
    return raw.decode("utf-8", "replace").replace("\x00", "").strip()


def _same_person(name: str, creators: set[str]) -> bool:
    return " ".join(name.split()).casefold() in creators


def _serial(name: str) -> str | None:
    if "serial" not in name.casefold():
        return None
    return LENS_SERIAL if "lens" in name.casefold() else BODY_SERIAL


def _from_exif(exif: dict[str, Any], creators: set[str]) -> Iterator[str]:
    for key, value in exif.items():
        _, group, tag = [*key.split(".", 2), "", ""][:3]
        if group == "GPSInfo":
            yield GPS
        elif group == "Thumbnail":
            yield THUMBNAIL
        elif group == "MakerNote" or tag == "MakerNote" or not _STANDARD_EXIF.fullmatch(group):
            yield MAKER_NOTES
        if serial := _serial(tag):
            yield serial
        if tag in _NAMES and _text(value) and not _same_person(_text(value), creators):
            yield _NAMES[tag]
        if tag in _EXIF_TAGS and _text(value):
            yield _EXIF_TAGS[tag]


def _from_xmp(xmp: dict[str, Any], creators: set[str]) -> Iterator[str]:
    for key, value in xmp.items():
        _, prefix, path = [*key.split(".", 2), "", ""][:3]
        # "LocationCreated[1]/exif:GPSLatitude": the property and every member on its path.
        names = [re.split(r"[\[/]", path)[0], *_XMP_PROPERTY.findall(path)]
        if (prefix == "exif" and names[0].startswith("GPS")) or any(
            n.startswith("GPS") for n in names[1:]
        ):
            yield GPS
        if prefix in _XMP_PREFIXES:
            yield _XMP_PREFIXES[prefix]
        for name in names:
            if serial := _serial(name):
                yield serial
            if name in _XMP_PROPERTIES:
                yield _XMP_PROPERTIES[name]
            if name in _NAMES and _text(value) and not _same_person(_text(value), creators):
                yield _NAMES[name]


def _segments(data: bytes) -> Iterator[tuple[int, bytes]]:
    """A JPEG's marker segments up to the image data: (marker, payload)."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (_SOS, _EOI):
            return
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        yield marker, data[pos + 4 : pos + 2 + length]
        pos += 2 + length


def _photoshop_thumbnail(payload: bytes) -> bool:
    pos = payload.find(b"8BIM")
    while pos >= 0 and pos + 12 <= len(payload):
        (resource,) = struct.unpack(">H", payload[pos + 4 : pos + 6])
        name_length = payload[pos + 6]
        name_end = pos + 7 + name_length + ((name_length + 1) % 2)  # a padded Pascal string
        if name_end + 4 > len(payload):
            return False
        (size,) = struct.unpack(">I", payload[name_end : name_end + 4])
        if resource in _PHOTOSHOP_THUMBNAILS:
            return True
        pos = name_end + 4 + size + (size % 2)
        if payload[pos : pos + 4] != b"8BIM":
            return False
    return False


def _from_jpeg(data: bytes) -> Iterator[str]:
    for marker, payload in _segments(data):
        if marker == _COM and payload.strip(b"\x00 "):
            yield COMMENT
        elif marker == _APP0:
            jfif_thumbnail = payload.startswith(b"JFIF\x00") and payload[12:14] not in (
                b"",
                b"\x00\x00",
            )
            if payload.startswith(b"JFXX\x00") or jfif_thumbnail:
                yield THUMBNAIL
            elif not payload.startswith(b"JFIF\x00"):
                yield UNKNOWN_BLOCK
        elif marker == _APP1:
            # EXIF and XMP are exiv2's to read; extended XMP it does not assemble.
            if payload.startswith(b"http://ns.adobe.com/xmp/extension/\x00"):
                yield UNKNOWN_BLOCK
        elif marker == _APP2:
            if payload.startswith(b"MPF\x00"):
                yield PREVIEW
            elif not payload.startswith(b"ICC_PROFILE\x00"):
                yield UNKNOWN_BLOCK
        elif marker == _APP13:
            if _photoshop_thumbnail(payload):
                yield THUMBNAIL
        elif 0xE0 <= marker <= 0xEF and marker != _APP14:
            yield UNKNOWN_BLOCK


def _ordered(labels: Iterable[str]) -> list[str]:
    found = set(labels)
    return [label for label in ORDER if label in found]


def identifying(data: bytes, creator: str | None = None) -> list[str]:
    """What identifying metadata these bytes (an image, or an XMP sidecar) carry, as labels.

    Owner and artist names equal to `creator` (the credited creator, names
    separated by ";") are not counted: publishing them says nothing new.
    An empty list means nothing was found. Bytes exiv2 cannot read at all
    raise UnreadableMetadata.
    """
    creators = {" ".join(c.split()).casefold() for c in (creator or "").split(";") if c.strip()}
    pyexiv2.set_log_level(_MUTE)
    try:
        img = pyexiv2.ImageData(data)
    except Exception as exc:  # pyexiv2 raises RuntimeError for whatever exiv2 refuses
        raise UnreadableMetadata(f"exiv2 cannot read this file's metadata ({exc})") from exc
    labels: list[str] = []
    try:
        # Latin-1 decodes any bytes; _text recovers UTF-8 where a value is compared.
        # exiv2 derives EXIF from a sidecar's XMP (dc:creator as Artist): only XMP is in it.
        sidecar = img.get_mime_type() == "application/rdf+xml"
        exif = {} if sidecar else img.read_exif(encoding="latin-1")
        labels += _from_exif(exif, creators)
        labels += _from_xmp(img.read_xmp(encoding="latin-1"), creators)
        if img.read_comment(encoding="latin-1").strip("\x00 "):
            labels.append(COMMENT)
        if exif and img.read_thumbnail():
            labels.append(THUMBNAIL)
    except Exception as exc:  # a damaged block: say so rather than pass it as clean
        raise UnreadableMetadata(f"exiv2 cannot read this file's metadata ({exc})") from exc
    finally:
        img.close()
    if data[:2] == b"\xff\xd8":
        labels += _from_jpeg(data)
    return _ordered(labels)
