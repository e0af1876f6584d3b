"""Captions another tool wrote as XMP, embedded or in a sidecar file."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

from photodesk.dates import DATE_COLUMNS
from photodesk.fields import FIELDS, XMP_NAMESPACES, Field, where

log = logging.getLogger(__name__)

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xml": "http://www.w3.org/XML/1998/namespace",
    **XMP_NAMESPACES,
}
_RDF = "{{{}}}".format(NS["rdf"])
_XML_LANG = "{{{}}}lang".format(NS["xml"])

# Text-valued fields the readers take from XMP. A lang-alt of a per-language
# field becomes {lang: text}; a per-photo lang-alt (dc:rights) reads like a list.
_READ = tuple(f for f in FIELDS if f.xmp and f.xmp_kind != "struct")
# Location Created/Shown: a structure of the place's name and its parts.
_STRUCTS = tuple(f for f in FIELDS if f.xmp and f.xmp_kind == "struct")
_LOCATION_PARTS = where(scope="place", has="xmp_location")
_EXT = "{{{}}}".format(NS["Iptc4xmpExt"])
DESK_PREFIX = "photodesk"
# The desk's date as properties of its namespace: taken_start → photodesk:takenStart. Where
# the date came from is not carried: whoever imports the file knows it came from metadata.
DESK_DATE = {
    column: "taken" + column.removeprefix("taken_").capitalize()
    for column in DATE_COLUMNS
    if column != "taken_source"
}
_DESK = f"{{{NS[DESK_PREFIX]}}}"
_SIMPLE = tuple(f for f in _READ if f.xmp_kind == "simple")
_LANG_ALT = tuple(f for f in _READ if f.xmp_kind == "lang-alt" and f.scope == "language")
_MULTI = tuple(f for f in _READ if f not in _SIMPLE and f not in _LANG_ALT)

# The encodings the XMP specification allows a packet, each with its byte-order mark.
_ENCODINGS = (
    ("utf-8", b"\xef\xbb\xbf"),
    ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b"\xfe\xff"),
    ("utf-32-le", b"\xff\xfe\x00\x00"),
    ("utf-32-be", b"\x00\x00\xfe\xff"),
)
# A packet's outermost element, or a bare RDF block as some writers leave it.
_ROOTS = (("<x:xmpmeta", "</x:xmpmeta>"), ("<rdf:RDF", "</rdf:RDF>"))
# Where a packet may start, and how long it may be: the search reads at most this
# much of a file whatever it holds, and every byte it reads once per encoding.
SCAN_LIMIT = 16 << 20
PACKET_LIMIT = 16 << 20


def _span(
    data: bytes, opening: bytes, closing: bytes, after: tuple[bytes, ...]
) -> tuple[int, int] | None:
    """The first `opening`…`closing` within the limits, found in one forward pass."""
    end = min(len(data), SCAN_LIMIT)
    pos = data.find(opening, 0, end)
    while pos >= 0:
        follows = pos + len(opening)
        if data[follows : follows + len(after[0])] in after:
            # A closing tag that is not after the first opening is after no later one.
            stop = data.find(closing, follows, follows + PACKET_LIMIT)
            if stop < 0:
                return None
            # Packets do not nest: of openings before the closing, the last is the
            # packet's own, the others noise (one backward pass over what was read).
            last = data.rfind(opening, pos, stop)
            tail = last + len(opening)
            if data[tail : tail + len(after[0])] in after:
                pos = last
            return pos, stop + len(closing)
        pos = data.find(opening, follows, end)
    return None


def find_packet(data: bytes) -> bytes | None:
    """Locate an XMP packet anywhere in a file's bytes (any container, any position).

    In any of the encodings XMP allows (UTF-8, UTF-16 and UTF-32 in either
    byte order), the earliest packet. Linear, and bounded by SCAN_LIMIT and
    PACKET_LIMIT whatever the file's size.
    """
    for opening, closing in _ROOTS:
        found: list[tuple[int, int, int, str]] = []  # (unconfirmed, start, end, encoding)
        for encoding, _bom in _ENCODINGS:
            after = tuple(c.encode(encoding) for c in " \t\r\n>")
            span = _span(data, opening.encode(encoding), closing.encode(encoding), after)
            if span is not None:
                found.append((not _marked(data, span[0], encoding), *span, encoding))
        if found:
            return bytes(data[slice(*_likeliest(found))])
    return None


def _marked(data: bytes, start: int, encoding: str) -> bool:
    """Whether the packet's header just before `start` carries the byte-order mark of `encoding`.

    The `<?xpacket begin="\ufeff"` header is there to settle this: ASCII text in
    UTF-16LE read one byte off is ASCII text in UTF-16BE, and only the mark's bytes,
    swapped, tell the two apart.
    """
    width = len("<".encode(encoding))
    window = data[max(0, start - 128 * width) : start]
    return any(f"begin={q}\ufeff".encode(encoding) in window for q in "\"'")


def _likeliest(found: list[tuple[int, int, int, str]]) -> tuple[int, int]:
    """The earliest packet whose header confirms its encoding; else the earliest.

    Without a header, spans a few bytes apart are one packet read in two byte
    orders: the encoding listed first in _ENCODINGS (little-endian) is taken.
    """
    unconfirmed, start, end, _ = min(found)
    if not unconfirmed:
        return start, end
    order = [name for name, _bom in _ENCODINGS]
    near = [f for f in found if f[1] - start < 4]
    _, start, end, _ = min(near, key=lambda f: order.index(f[3]))
    return start, end


def _encoding(packet: bytes) -> tuple[str, int]:
    """The packet's encoding and the length of its byte-order mark.

    Without a mark, the zero bytes around its first character tell (as in
    appendix F of the XML specification): "<" is 3C, 3C 00, 00 3C, 3C 00 00 00…
    """
    for encoding, bom in sorted(_ENCODINGS, key=lambda e: -len(e[1])):
        if packet.startswith(bom):
            return encoding, len(bom)
    head = packet[:4].ljust(4, b"\x01")
    zeros = tuple(b == 0 for b in head)
    if zeros == (True, True, True, False):
        return "utf-32-be", 0
    if zeros == (False, True, True, True):
        return "utf-32-le", 0
    if zeros[:2] == (True, False):
        return "utf-16-be", 0
    if zeros[:2] == (False, True):
        return "utf-16-le", 0
    return "utf-8", 0


def _texts(packet: bytes | str) -> list[str]:
    """The packet as text: as its encoding says, then (for damaged ones) as UTF-8 without NULs."""
    if isinstance(packet, str):
        return [packet.replace("\x00", "")]
    encoding, bom = _encoding(packet)
    decoded = packet[bom:].decode(encoding, "replace").replace("\x00", "").lstrip("\ufeff")
    # Some writers pad UTF-8 with NULs, which can look like UTF-16 at the start.
    legacy = packet.replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf").decode("utf-8", "replace")
    return [decoded] if encoding == "utf-8" else [decoded, legacy]


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


def _property(desc: ET.Element, qname: str) -> str:
    """A simple property written as an attribute or an element, or the x-default of a lang-alt."""
    value = desc.get(qname)
    if value is None:
        el = desc.find(qname)
        if el is not None:
            items = _items(el)
            value = next(
                (li.text for li in items if li.get(_XML_LANG) == "x-default"), items[0].text
            )
    return _clean(value)


def _location(element: ET.Element) -> dict[str, str]:
    """The first location of a Location Created/Shown bag: {"name": …, part field: …}."""
    items = _items(element)
    if not items:
        return {}
    holder = items[0]
    # exiv2 writes members as attributes of the rdf:li, or (when one is a lang-alt)
    # in an rdf:Description inside it; other tools use rdf:parseType="Resource".
    nested = holder.find(_RDF + "Description")
    if nested is not None:
        holder = nested
    found = {"name": _property(holder, _EXT + "LocationName")}
    for part in _LOCATION_PARTS:
        found[part.name] = _property(holder, _EXT + (part.xmp_location or ""))
    return {k: v for k, v in found.items() if v}


def parse_xmp(packet: bytes | str) -> dict[str, object]:
    """The caption fields of an XMP packet in any encoding XMP allows; malformed XML yields {}."""
    root = None
    for text in _texts(packet):
        try:
            root = ET.fromstring(text)
            break
        except ET.ParseError as exc:
            log.debug("XMP unreadable: %s", exc)
    if root is None:
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
        for f in _STRUCTS:
            el = desc.find(_q(f))
            if el is not None and f.name not in out and (location := _location(el)):
                out[f.name] = location
        taken = {
            column: value
            for column, prop in DESK_DATE.items()
            if (value := _property(desc, _DESK + prop))
        }
        if taken and "taken" not in out:
            out["taken"] = taken
    return out
