"""Embed caption fields in an image as IPTC-IIM and XMP, the way the field table says.

exiv2 (through pyexiv2) does the writing: it knows JPEG, TIFF, PNG and WebP,
keeps every other block of the file as it was, and writes XMP that Lightroom,
darktable, digiKam and exiftool read. Every row of the field table with an
IIM dataset or an XMP text property is written from that row; structures
(Location Created/Shown), places and choices have no text form here.

Each field given replaces what the file held for it: a lang-alt keeps
x-default plus the language written, so a copy carries one language's caption.

A publish copy or an XMP sidecar says everything at once (`Embedding`): every
caption language in the lang-alts, both places as Location Created/Shown
structures, and the desk's own date in photodesk's namespace, so that "late
July 2023" survives where IPTC can only say 2023-07.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyexiv2

from photodesk.dates import TakenDate
from photodesk.errors import PhotodeskError
from photodesk.fields import BY_NAME, XMP_NAMESPACES, Field, where
from photodesk.language import normalize_lang
from photodesk.metadata.xmp import DESK_DATE, DESK_PREFIX
from photodesk.text import display_path, without_controls

__all__ = [
    "Embedding",
    "Location",
    "MetadataWriteError",
    "embed_embedding",
    "embed_metadata",
    "writable",
    "write_metadata",
    "write_sidecar",
]


class MetadataWriteError(PhotodeskError):
    """A file exiv2 cannot write captions into, or a value IPTC cannot hold."""


_UTF8 = "\x1b%G"  # IIM 1:90 "coded character set": the ISO 2022 escape for UTF-8
_IIM = "Iptc.Application2."
# exiv2 knows the IPTC namespaces by prefixes of its own, not the ones files use.
_EXIV2_PREFIX = {"Iptc4xmpCore": "iptc", "Iptc4xmpExt": "iptcExt"}
# What IIM 2:55 and photoshop:DateCreated can say without a time: a year, a month, a day.
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_MUTE = 4  # pyexiv2's log level that prints nothing

_LOCATION_NAME = "LocationName"  # the place's own name; its parts are rows of the field table
_EMPTY_SIDECAR = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"></x:xmpmeta>\n<?xpacket end="w"?>\n'
)


def writable(f: Field) -> bool:
    """Whether a field has a text form in IIM or XMP that this writer produces."""
    if f.type in ("place", "choice") or f.xmp_kind == "struct":
        return False
    return bool(f.iim_name or f.xmp)


@dataclass(frozen=True)
class Location:
    """A named place as a Location Created/Shown structure holds it."""

    name: str
    parts: Mapping[str, str]  # by place-part field name: sublocation, city, province…


@dataclass(frozen=True)
class Embedding:
    """Everything a publish copy or a sidecar says about one photo."""

    captions: Mapping[str, Mapping[str, str]]  # language → per-language field → text
    default_lang: str  # its text becomes x-default, IIM's caption and the headline
    fields: Mapping[str, Any] = field(default_factory=dict)  # per-photo fields, as write_metadata
    taken: TakenDate | None = None
    places: Mapping[str, Location] = field(default_factory=dict)  # by place field name
    # The camera's position: only when the desk chose to publish it.
    gps: tuple[float, float] | None = None


@dataclass
class _Plan:
    """What exiv2 is asked to set, by its own key names, and what the editor should hear."""

    iptc: dict[str, Any] = field(default_factory=dict)
    xmp: dict[str, Any] = field(default_factory=dict)
    exif: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _items(f: Field, value: Any) -> list[str]:
    # A string for a list field is refused: "a, b" silently becoming one keyword is worse.
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValueError(f"{f.name} takes a list of strings, not {type(value).__name__}")
    return [without_controls(str(v)) for v in value if v not in (None, "")]


def _date(value: Any) -> tuple[str | None, str]:
    """IIM's CCYYMMDD (only for a known day) and XMP's text, which may stop at a month or year."""
    text = str(value).strip()
    m = _ISO_DATE.fullmatch(text)
    try:
        if m is None:
            raise ValueError(text)
        year, month, day = m.groups()
        date(int(year), int(month or 1), int(day or 1))  # refuses month 13 or 30 February
    except ValueError:
        raise MetadataWriteError(
            f'date "{text}" cannot be embedded: IPTC takes YYYY-MM-DD, YYYY-MM or YYYY'
        ) from None
    return (f"{year}{month}{day}" if day else None), text


def _iim_warnings(f: Field, value: str | list[str]) -> list[str]:
    """IIM clips at a byte limit and XMP does not: say so, and keep the text whole."""
    if f.iim_limit is None:
        return []
    out = []
    for text in value if isinstance(value, list) else [value]:
        size = len(text.encode("utf-8"))
        if size > f.iim_limit:
            what = f'{f.name} "{text}"' if isinstance(value, list) else f.name
            out.append(
                f"{what} is {size} bytes in UTF-8 and IPTC-IIM holds {f.iim_limit}: "
                "written whole (XMP holds it all; some IIM readers cut it)"
            )
    return out


def _exiv2_prefix(prefix: str) -> str:
    return _EXIV2_PREFIX.get(prefix, prefix)


def _xmp_key(f: Field) -> str:
    return f"Xmp.{_exiv2_prefix(f.xmp_prefix or '')}.{f.xmp_property}"


def _xmp_entries(f: Field, value: str | list[str], lang: str) -> dict[str, Any]:
    key = _xmp_key(f)
    if f.xmp_kind == "bag":
        # pyexiv2 writes every list as an rdf:Seq; exiv2 makes the bag the standard
        # asks for (dc:subject) when the array's type is declared first.
        items = value if isinstance(value, list) else [value]
        return {key: "type=Bag"} | {f"{key}[{n}]": v for n, v in enumerate(items, 1)}
    if f.xmp_kind == "seq":
        return {key: value if isinstance(value, list) else [value]}
    text = "; ".join(value) if isinstance(value, list) else value
    if f.xmp_kind != "lang-alt":
        return {key: text}
    # Most tools show only x-default; the explicit language tells readers which it is.
    # A per-photo lang-alt (dc:rights) is one notice, in no particular language.
    alts = {'lang="x-default"': text}
    if f.scope == "language":
        alts[f'lang="{lang}"'] = text
    return {key: alts}


def _add(plan: _Plan, f: Field, value: Any, lang: str) -> None:
    iim: str | list[str] | None
    xmp: str | list[str]
    if f.type == "date":
        iim, xmp = _date(value)
    elif f.type == "list":
        iim = xmp = _items(f, value)
        if not iim:
            return
    else:
        iim = xmp = without_controls(str(value))
    if f.iim_name and iim is not None:
        plan.iptc[_IIM + f.iim_name] = iim
        plan.warnings += _iim_warnings(f, iim)
    if f.xmp:
        plan.xmp.update(_xmp_entries(f, xmp, lang))


def _plan(values: Mapping[str, Any], lang: str) -> _Plan:
    lang = normalize_lang(lang)  # it goes inside exiv2's lang="…" syntax: no quotes, no spaces
    plan = _Plan()
    for name, value in values.items():
        f = BY_NAME.get(name)
        if f is None:
            raise ValueError(f"{name!r} is not a caption field")
        if value is None or value == "" or not writable(f):
            continue
        _add(plan, f, value, lang)
    return plan


def _legacy_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")  # tools that wrote UTF-8 without saying so
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")  # pre-Unicode Western tools, as the reader assumes


def _recoded_iim(img: Any) -> dict[str, Any]:
    """Text another tool left in a legacy charset, re-encoded so our UTF-8 mark stays true."""
    # Latin-1 maps each byte to one character, so the original bytes come back intact.
    found = img.read_iptc_detail(encoding="latin-1")
    if found.get("Iptc.Envelope.CharacterSet", {}).get("value") == _UTF8:
        return {}
    out: dict[str, Any] = {}
    for key, detail in found.items():
        value = detail["value"]
        items = value if isinstance(value, list) else [value]
        if not key.startswith(_IIM) or detail["typeName"] != "String":
            continue
        if not all(v.isascii() for v in items):
            fixed = [_legacy_text(v.encode("latin-1")) for v in items]
            out[key] = fixed if isinstance(value, list) else fixed[0]
    return out


def _apply(img: Any, plan: _Plan) -> None:
    if plan.exif:
        img.modify_exif(plan.exif)
    if plan.iptc:
        img.modify_iptc({"Iptc.Envelope.CharacterSet": _UTF8, **_recoded_iim(img), **plan.iptc})
    if plan.xmp:
        img.modify_xmp(plan.xmp)


def _failure(shown: str, exc: Exception, tmp: Path | None) -> MetadataWriteError:
    reason = str(exc) or type(exc).__name__
    if tmp is not None:  # exiv2 names the copy it was given; the user knows the file
        reason = reason.replace(str(tmp), shown)
    reason = " ".join(reason.split())
    return MetadataWriteError(f"cannot write captions into {shown} (exiv2: {reason})")


@contextlib.contextmanager
def _exiv2(open_: Callable[[], Any], shown: str, tmp: Path | None = None) -> Iterator[Any]:
    # exiv2 prints its warnings on stdout, where they would mix with --json output;
    # anything that matters reaches us as an exception.
    pyexiv2.set_log_level(_MUTE)
    try:
        img = open_()
    except Exception as exc:  # pyexiv2 raises RuntimeError for whatever exiv2 refuses
        raise _failure(shown, exc, tmp) from exc
    try:
        yield img
    except (RuntimeError, UnicodeError) as exc:
        raise _failure(shown, exc, tmp) from exc
    finally:
        img.close()


def _check_writable(path: Path) -> None:
    shown = display_path(str(path))
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise MetadataWriteError(f"cannot write captions into {shown}: {exc.strerror}") from exc
    if not stat.S_ISREG(mode):
        raise MetadataWriteError(f"cannot write captions into {shown}: not a regular file")
    # The rename below would replace a read-only file as readily as any other,
    # and read-only is how the archive keeps its originals.
    if not mode & stat.S_IWUSR:
        raise MetadataWriteError(f"{shown} is read-only: write captions into a copy of it")


def _edit_copy(path: Path, plan: _Plan) -> None:
    """exiv2 rewrites a JPEG in place (truncate, then write): a kill would leave half a file.

    So the edit happens on a copy beside it, renamed over the file when complete.
    """
    fd, name = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        shutil.copyfile(path, tmp)
        shutil.copymode(path, tmp)
        with _exiv2(lambda: pyexiv2.Image(str(tmp)), display_path(str(path)), tmp) as img:
            _apply(img, plan)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_metadata(path: Path, values: Mapping[str, Any], lang: str) -> list[str]:
    """Embed caption fields (by field name) into an image file; return IIM byte-limit warnings.

    `lang` is the language of the per-language fields (headline, title,
    description). None and "" are skipped, leaving what the file says.
    """
    plan = _plan(values, lang)
    if not plan.iptc and not plan.xmp:
        return plan.warnings
    path = Path(path).resolve()  # through a symlink to the file itself, as an in-place edit would
    _check_writable(path)
    try:
        _edit_copy(path, plan)
    except OSError as exc:
        raise MetadataWriteError(
            f"cannot write captions into {display_path(str(path))}: {exc.strerror or exc}"
        ) from exc
    return plan.warnings


def embed_metadata(data: bytes, values: Mapping[str, Any], lang: str) -> tuple[bytes, list[str]]:
    """The same as `write_metadata` for an image still in memory: its new bytes, and warnings."""
    plan = _plan(values, lang)
    if not plan.iptc and not plan.xmp:
        return data, plan.warnings
    with _exiv2(lambda: pyexiv2.ImageData(data), "the image") as img:
        _apply(img, plan)
        return img.get_bytes(), plan.warnings


# -- a whole record: every language, both places, the desk's date ------------------------


def _register_desk_namespace() -> None:
    # exiv2 refuses keys of a namespace it does not know; registering twice is harmless.
    pyexiv2.registerNs(XMP_NAMESPACES[DESK_PREFIX], DESK_PREFIX)


def _per_language(plan: _Plan, emb: Embedding, default: str) -> None:
    captions = {normalize_lang(lang): values for lang, values in emb.captions.items()}
    for f in where(scope="language"):
        texts = {
            lang: text
            for lang in sorted(captions)
            if (text := without_controls(str(captions[lang].get(f.name) or "")).strip())
        }
        if not texts:
            continue
        # IIM and simple XMP hold one text: the archive's language, else the first there is.
        first = default if default in texts else next(iter(texts))
        _add(plan, f, texts[first], first)
        if f.xmp_kind == "lang-alt":
            alts = {'lang="x-default"': texts[first]}
            alts |= {f'lang="{lang}"': text for lang, text in texts.items()}
            plan.xmp[_xmp_key(f)] = alts


def _dms(value: float) -> tuple[int, int, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return degrees, minutes, (value - degrees - minutes / 60) * 3600


def _exif_gps(lat: float, lon: float) -> dict[str, str]:
    def rational(value: float) -> str:
        d, m, s = _dms(value)
        return f"{d}/1 {m}/1 {round(s * 10000)}/10000"

    return {
        "Exif.GPSInfo.GPSVersionID": "2 3 0 0",
        "Exif.GPSInfo.GPSLatitudeRef": "N" if lat >= 0 else "S",
        "Exif.GPSInfo.GPSLatitude": rational(lat),
        "Exif.GPSInfo.GPSLongitudeRef": "E" if lon >= 0 else "W",
        "Exif.GPSInfo.GPSLongitude": rational(lon),
    }


def _xmp_gps(lat: float, lon: float) -> dict[str, str]:
    """XMP's GPSCoordinate form, "42,25.926000N": degrees, then decimal minutes and the side."""

    def coordinate(value: float, sides: str) -> str:
        d, m, s = _dms(value)
        return f"{d},{m + s / 60:.6f}{sides[0] if value >= 0 else sides[1]}"

    return {"GPSLatitude": coordinate(lat, "NS"), "GPSLongitude": coordinate(lon, "EW")}


def _places(plan: _Plan, emb: Embedding, default: str, sidecar: bool) -> None:
    parts = where(scope="place", has="xmp_location")
    for f in where(type="place", has="xmp"):
        location = emb.places.get(f.name)
        # Where the camera stood is the one place a GPS position belongs to.
        gps = emb.gps if f.xmp_property == "LocationCreated" else None
        if location is None and gps is None:
            continue
        base = _xmp_key(f)
        ns = _exiv2_prefix(f.xmp_prefix or "")
        members: dict[str, Any] = {}
        if location is not None:
            if name := without_controls(location.name).strip():
                members[f"{base}[1]/{ns}:{_LOCATION_NAME}"] = {'lang="x-default"': name}
            for part in parts:
                if text := without_controls(location.parts.get(part.name) or "").strip():
                    members[f"{base}[1]/{ns}:{part.xmp_location}"] = text
        if gps is not None:
            for prop, value in _xmp_gps(*gps).items():
                members[f"{base}[1]/exif:{prop}"] = value
        if members:
            plan.xmp[base] = "type=Bag"  # a bag of locations, the standard says; we know one
            plan.xmp.update(members)
    # The legacy IPTC Core location (IIM 2:90… and photoshop:City…) is what the frame shows.
    shown = emb.places.get("shown_place")
    if shown is not None:
        for part in where(scope="place"):
            if text := without_controls(shown.parts.get(part.name) or "").strip():
                _add(plan, part, text, default)
    if emb.gps is not None:
        if sidecar:  # a sidecar has no EXIF: Lightroom and darktable read exif:GPS* in XMP
            plan.xmp.update({f"Xmp.exif.{k}": v for k, v in _xmp_gps(*emb.gps).items()})
        else:
            plan.exif.update(_exif_gps(*emb.gps))


def _desk_date(plan: _Plan, taken: TakenDate) -> None:
    columns = taken.columns("metadata")
    for column, prop in DESK_DATE.items():
        if value := columns.get(column):
            plan.xmp[f"Xmp.{DESK_PREFIX}.{prop}"] = without_controls(value)


def _embedding_plan(emb: Embedding, sidecar: bool = False) -> _Plan:
    default = normalize_lang(emb.default_lang)
    fields = dict(emb.fields)
    for name in fields:
        f = BY_NAME.get(name)
        if f is None or f.scope == "language" or f.type == "place":
            raise ValueError(f"{name!r} is not a per-photo field (captions and places go apart)")
    plan = _plan(fields, default)
    _per_language(plan, emb, default)
    _places(plan, emb, default, sidecar)
    if emb.taken is not None:
        _desk_date(plan, emb.taken)
    if sidecar:
        plan.iptc.clear()  # an XMP file holds no IIM; its XMP says all of it
    return plan


def embed_embedding(data: bytes, emb: Embedding) -> tuple[bytes, list[str]]:
    """An image's bytes with the whole record embedded as IIM, XMP (and EXIF GPS if asked)."""
    plan = _embedding_plan(emb)
    _register_desk_namespace()
    with _exiv2(lambda: pyexiv2.ImageData(data), "the image") as img:
        _apply(img, plan)
        return img.get_bytes(), plan.warnings


def write_sidecar(path: Path, emb: Embedding) -> list[str]:
    """Write the record as an XMP sidecar file at `path` (replacing it); IIM warnings back.

    exiv2 writes it from an empty packet, as it writes the XMP of an image, so
    every tool that reads exiv2's XMP reads the sidecar.
    """
    plan = _embedding_plan(emb, sidecar=True)
    _register_desk_namespace()
    path = Path(path)
    shown = display_path(str(path))
    try:
        fd, name = tempfile.mkstemp(prefix=".tmp-", suffix=".xmp", dir=path.parent)
    except OSError as exc:
        raise MetadataWriteError(f"cannot write {shown}: {exc.strerror or exc}") from exc
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(_EMPTY_SIDECAR)
        with _exiv2(lambda: pyexiv2.Image(str(tmp)), shown, tmp) as img:
            img.modify_xmp(plan.xmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise MetadataWriteError(f"cannot write {shown}: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return plan.warnings
