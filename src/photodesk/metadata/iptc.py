"""Captions another tool wrote as IPTC-IIM (the APP13 block of JPEGs, TIFF tag 33723)."""

from __future__ import annotations

import logging

from PIL import Image, ImageFile, IptcImagePlugin

from photodesk.fields import FIELDS

log = logging.getLogger(__name__)

# IIM record 2 datasets, by the field they fill.
_DATASETS = {f.iim: f for f in FIELDS if f.iim is not None}
_UTF8_ESCAPE = b"\x1b%G"  # dataset 1:90, "coded character set" = UTF-8


def _decode(raw: bytes, utf8: bool) -> str:
    if utf8:
        return raw.decode("utf-8", "replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # Pre-Unicode IIM from Western tools is Latin-1 in practice.
        return raw.decode("cp1252", "replace")


def _values(value: bytes | list[bytes]) -> list[bytes]:
    return value if isinstance(value, list) else [value]


def read_iptc(image: Image.Image) -> dict[str, object]:
    if not isinstance(image, ImageFile.ImageFile):
        return {}  # only images read from a file carry an APP13 or TIFF IPTC block
    try:
        info = IptcImagePlugin.getiptcinfo(image)
    except Exception as exc:  # a malformed APP13 must not cost the photo
        log.debug("IPTC unreadable: %s", exc)
        return {}
    if not info:
        return {}
    utf8 = any(v.startswith(_UTF8_ESCAPE) for v in _values(info.get((1, 90), b"")))
    out: dict[str, object] = {}
    for dataset, f in _DATASETS.items():
        raw = info.get((2, dataset))
        if raw is None:
            continue
        parts = [_decode(v, utf8).replace("\x00", "").strip() for v in _values(raw)]
        if f.type == "list":
            out[f.name] = [p for p in parts if p]
            continue
        text = "; ".join(p for p in parts if p)
        if text:
            out[f.name] = text
    return out
