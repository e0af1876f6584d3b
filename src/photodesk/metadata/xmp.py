"""Captions another tool wrote as XMP, embedded or in a sidecar file."""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET

from photodesk.fields import FIELDS, XMP_NAMESPACES, Field

log = logging.getLogger(__name__)

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xml": "http://www.w3.org/XML/1998/namespace",
    **XMP_NAMESPACES,
}
_RDF = "{{{}}}".format(NS["rdf"])
_XML_LANG = "{{{}}}lang".format(NS["xml"])

# Text-valued fields the readers take from XMP (structures such as Location
# Shown are written by photodesk, not read). A lang-alt of a per-language field
# becomes {lang: text}; a per-photo lang-alt (dc:rights) reads like a list.
_READ = tuple(f for f in FIELDS if f.xmp and f.xmp_kind != "struct")
_SIMPLE = tuple(f for f in _READ if f.xmp_kind == "simple")
_LANG_ALT = tuple(f for f in _READ if f.xmp_kind == "lang-alt" and f.scope == "language")
_MULTI = tuple(f for f in _READ if f not in _SIMPLE and f not in _LANG_ALT)

_PACKET = re.compile(rb"<x:xmpmeta[\s>].*?</x:xmpmeta>", re.S)
_RDF_ONLY = re.compile(rb"<rdf:RDF[\s>].*?</rdf:RDF>", re.S)


def find_packet(data: bytes) -> bytes | None:
    """Locate an XMP packet anywhere in a file's bytes (any container, any position)."""
    start = data.find(b"<x:xmpmeta")
    if start < 0:
        start = data.find(b"<rdf:RDF")
        if start < 0:
            return None
        m = _RDF_ONLY.search(data, start)
    else:
        m = _PACKET.search(data, start)
    return m.group(0) if m else None


def _q(f: Field) -> str:
    return f"{{{NS[f.xmp_prefix or '']}}}{f.xmp_property}"


def _items(element: ET.Element) -> list[ET.Element]:
    for container in ("Alt", "Seq", "Bag"):
        c = element.find(_RDF + container)
        if c is not None:
            return c.findall(_RDF + "li")
    return [element]


def _clean(text: str | None) -> str:
    return (text or "").replace("\x00", "").strip()


def parse_xmp(packet: bytes | str) -> dict[str, object]:
    """Return the caption fields of an XMP packet; malformed XML yields {}."""
    if isinstance(packet, bytes):
        # Packets are UTF-8 but some writers pad with NULs or a BOM.
        packet = packet.replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf")
    try:
        root = ET.fromstring(packet)
    except ET.ParseError as exc:
        log.debug("XMP unreadable: %s", exc)
        return {}
    out: dict[str, object] = {}
    for desc in root.iter(_RDF + "Description"):
        for f in _SIMPLE:
            value = desc.get(_q(f))
            el = desc.find(_q(f))
            if value is None and el is not None:
                value = el.text
            if _clean(value) and f.name not in out:
                out[f.name] = _clean(value)
        for f in _LANG_ALT:
            el = desc.find(_q(f))
            attr = desc.get(_q(f))
            alts: dict[str, str] = {}
            if el is not None:
                for li in _items(el):
                    if _clean(li.text):
                        alts.setdefault(li.get(_XML_LANG, "x-default"), _clean(li.text))
            elif _clean(attr):
                alts["x-default"] = _clean(attr)
            if alts and f.name not in out:
                out[f.name] = alts
        for f in _MULTI:
            el = desc.find(_q(f))
            if el is None or f.name in out:
                continue
            values = [_clean(li.text) for li in _items(el) if _clean(li.text)]
            if values:
                out[f.name] = values if f.type == "list" else "; ".join(values)
    return out
