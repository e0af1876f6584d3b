"""Read what a file already says about itself: EXIF, IPTC-IIM and XMP (embedded or sidecar).

Nothing another tool wrote is lost: every caption field found is kept, the
freshest source winning where two disagree (sidecar XMP, then embedded XMP,
then IIM, the order in which tools like Lightroom write them).
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from photodesk.fields import PER_LANGUAGE, PER_PHOTO_TEXT, PLACE_PARTS, where
from photodesk.metadata.exif import ExifFacts, read_exif
from photodesk.metadata.iptc import read_iptc
from photodesk.metadata.xmp import find_packet, parse_xmp

__all__ = ["ExifFacts", "Metadata", "find_sidecar", "read_metadata"]

_PLACE_REFS = tuple(f.name for f in where(type="place"))


@dataclass
class Metadata:
    exif: ExifFacts
    captions: dict[str, dict[str, str]] = field(default_factory=dict)  # lang → field → text
    fields: dict[str, str] = field(default_factory=dict)  # PER_PHOTO_TEXT fields
    keywords: list[str] = field(default_factory=list)
    place: dict[str, str] = field(default_factory=dict)  # IPTC location as written
    # Location Created/Shown structures: place field → {"name": …, place part: …}.
    places: dict[str, dict[str, str]] = field(default_factory=dict)
    date_created: str | None = None
    taken: dict[str, str] = field(default_factory=dict)  # photodesk's own date: taken_* columns
    warnings: list[str] = field(default_factory=list)  # values found but not believed


def find_sidecar(path: Path, on_error: Callable[[str], None] | None = None) -> Path | None:
    """Sidecars are `name.xmp` (Lightroom, Capture One) or `name.jpg.xmp` (darktable, digiKam).

    A place a sidecar cannot be looked for (a name too long once `.xmp` is
    added, a folder that cannot be searched) is told to `on_error`, once per
    reason, and the next place is tried: it costs the sidecar, not the photo.
    """
    said: set[str] = set()
    for candidate in (
        path.with_suffix(".xmp"),
        path.with_suffix(".XMP"),
        path.with_name(path.name + ".xmp"),
        path.with_name(path.name + ".XMP"),
    ):
        try:
            if stat.S_ISREG(candidate.stat().st_mode):
                return candidate
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as exc:
            reason = f"cannot look for its sidecar: {exc.strerror or exc}"
            if on_error is not None and reason not in said:
                on_error(reason)
            said.add(reason)
    return None


def _embedded_xmp(data: bytes, image: Image.Image | None) -> bytes | None:
    if image is not None:
        for key in ("xmp", "XML:com.adobe.xmp"):
            value = image.info.get(key)
            if value:
                return value.encode() if isinstance(value, str) else value
        tiff_tags = getattr(image, "tag_v2", None)
        if tiff_tags is not None and tiff_tags.get(700):
            value = tiff_tags[700]
            return value.encode() if isinstance(value, str) else bytes(value)
        if image.format in ("JPEG", "MPO"):
            # Pillow has read every APP1 block; scanning megabytes again finds nothing new.
            return None
    return find_packet(data)


def _merge(meta: Metadata, found: dict[str, object], default_lang: str) -> None:
    """Fill what is still empty from one source; earlier sources win."""
    for name in PER_LANGUAGE:
        value = found.get(name)
        if value is None:
            continue
        langs = value if isinstance(value, dict) else {"x-default": value}
        # Named languages first: x-default usually repeats one of them, and filing that
        # text under the archive's language would put a Korean caption under "en".
        named = {k: str(v) for k, v in langs.items() if k not in ("x-default", "", None)}
        for lang, text in named.items():
            meta.captions.setdefault(lang, {}).setdefault(name, text)
        for lang, unnamed in langs.items():
            if lang in ("x-default", "", None) and str(unnamed) not in named.values():
                meta.captions.setdefault(default_lang, {}).setdefault(name, str(unnamed))
    for name in PER_PHOTO_TEXT:
        if found.get(name) and name not in meta.fields:
            meta.fields[name] = str(found[name])
    keywords = found.get("keywords")
    if isinstance(keywords, list) and keywords and not meta.keywords:
        meta.keywords = [str(k) for k in keywords]
    for name in PLACE_PARTS:
        if found.get(name) and name not in meta.place:
            meta.place[name] = str(found[name])
    if found.get("date") and not meta.date_created:
        meta.date_created = str(found["date"])
    for name in _PLACE_REFS:
        location = found.get(name)
        if isinstance(location, dict) and location and name not in meta.places:
            meta.places[name] = {str(k): str(v) for k, v in location.items()}
    taken = found.get("taken")
    if isinstance(taken, dict) and taken and not meta.taken:
        meta.taken = {str(k): str(v) for k, v in taken.items()}


def read_metadata(
    data: bytes,
    image: Image.Image | None,
    sidecar: bytes | None = None,
    default_lang: str = "en",
) -> Metadata:
    meta = Metadata(exif=read_exif(data, image))
    if meta.exif.gps_problem:
        meta.warnings.append(meta.exif.gps_problem)
    sources: list[dict[str, object]] = []
    if sidecar:
        sources.append(parse_xmp(sidecar))
    packet = _embedded_xmp(data, image)
    if packet:
        sources.append(parse_xmp(packet))
    if image is not None:
        sources.append(read_iptc(image))
    for found in sources:
        _merge(meta, found, default_lang)
    # EXIF Artist/Copyright are the camera owner's settings: the weakest source.
    if meta.exif.artist and "creator" not in meta.fields:
        meta.fields["creator"] = meta.exif.artist
    if meta.exif.copyright and "copyright" not in meta.fields:
        meta.fields["copyright"] = meta.exif.copyright
    return meta
