"""Captions another tool wrote as XMP, embedded or in a sidecar file."""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET

log = logging.getLogger(__name__)

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
_RDF = "{{{}}}".format(NS["rdf"])
_XML_LANG = "{{{}}}lang".format(NS["xml"])

# (namespace, property) → catalog field; lang-alt ones become {lang: text}.
_LANG_ALT = {("dc", "description"): "description", ("dc", "title"): "title"}
_SIMPLE = {
    ("photoshop", "Headline"): "headline",
    ("photoshop", "Credit"): "credit",
    ("photoshop", "Source"): "source",
    ("photoshop", "AuthorsPosition"): "creator_title",
    ("photoshop", "City"): "city",
    ("photoshop", "State"): "province",
    ("photoshop", "Country"): "country",
    ("photoshop", "TransmissionReference"): "job_id",
    ("photoshop", "Instructions"): "instructions",
    ("photoshop", "CaptionWriter"): "caption_writer",
    ("photoshop", "DateCreated"): "date_created",
    ("Iptc4xmpCore", "Location"): "sublocation",
    ("Iptc4xmpCore", "CountryCode"): "country_code",
}
_SEQ = {("dc", "creator"): "creator", ("dc", "subject"): "keywords", ("dc", "rights"): "copyright"}

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


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


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
        for (prefix, prop), field in _SIMPLE.items():
            value = desc.get(_q(prefix, prop))
            el = desc.find(_q(prefix, prop))
            if value is None and el is not None:
                value = el.text
            if _clean(value) and field not in out:
                out[field] = _clean(value)
        for (prefix, prop), field in _LANG_ALT.items():
            el = desc.find(_q(prefix, prop))
            attr = desc.get(_q(prefix, prop))
            alts: dict[str, str] = {}
            if el is not None:
                for li in _items(el):
                    if _clean(li.text):
                        alts.setdefault(li.get(_XML_LANG, "x-default"), _clean(li.text))
            elif _clean(attr):
                alts["x-default"] = _clean(attr)
            if alts and field not in out:
                out[field] = alts
        for (prefix, prop), field in _SEQ.items():
            el = desc.find(_q(prefix, prop))
            if el is None or field in out:
                continue
            values = [_clean(li.text) for li in _items(el) if _clean(li.text)]
            if values:
                # dc:rights is lang-alt in the spec but a single notice in practice.
                out[field] = values if field == "keywords" else "; ".join(values)
    return out
