"""What leaves the desk about one photo: every caption field in every language, and its places.

Sheets, publish copies and XMP sidecars all start from these entries, read
from the catalog once; the writers below them never see the catalog.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from photodesk.catalog import Catalog, photos, places
from photodesk.dates import TakenDate, from_columns, iso_prefix, phrase
from photodesk.export.selection import ExportError
from photodesk.fields import PER_LANGUAGE, PER_PHOTO_TEXT, PLACE_PARTS
from photodesk.text import without_controls


@dataclass(frozen=True)
class Place:
    name: str
    parts: dict[str, str]  # PLACE_PARTS that are set: sublocation, city, province, country…
    latitude: float | None = None
    longitude: float | None = None

    def describe(self) -> str:
        """The name, then the parts of the place it does not already say."""
        extra = [v for k, v in self.parts.items() if k != "country_code" and v not in self.name]
        return ", ".join([self.name, *extra])


@dataclass(frozen=True)
class Entry:
    id: int
    file_name: str
    sha256: str
    kind: str
    original: Path  # in the archive
    thumbnail: Path | None
    taken: TakenDate | None
    captions: dict[str, dict[str, str]]  # language → per-language field → text (set ones only)
    fields: dict[str, str]  # per-photo text fields that are set
    keywords: list[str]
    created_place: Place | None
    shown_place: Place | None
    # Where the camera stood, as the file said. It can expose the partner:
    # never published unless the desk asks for it.
    gps: tuple[float, float] | None = None
    camera: dict[str, str] = field(default_factory=dict)  # make, model, lens, body serial

    def text(self, name: str, lang: str) -> str | None:
        return self.captions.get(lang, {}).get(name)

    def date_phrase(self, lang: str = "en") -> str | None:
        return phrase(self.taken, lang) if self.taken else None

    @property
    def date_iso(self) -> str | None:
        """The date as IPTC date created: as precise as the desk knows it, never more."""
        return iso_prefix(self.taken) if self.taken else None

    @property
    def languages(self) -> list[str]:
        return sorted(self.captions)


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = without_controls(str(value)).strip()
    return text or None


def _place(db: Any, place_id: int | None) -> Place | None:
    if not place_id:
        return None
    row = places.get(db, place_id)
    if row is None:
        return None
    parts = {k: text for k in PLACE_PARTS if (text := _clean(row.get(k)))}
    return Place(_clean(row["name"]) or "", parts, row.get("latitude"), row.get("longitude"))


def load_chosen(catalog: Catalog, photo_ids: list[int]) -> list[Entry]:
    """As `load`, for an export of files: ExportError when none of them is in the catalog."""
    entries = load(catalog, photo_ids)
    if not entries:
        raise ExportError("none of the selected photos is in the catalog")
    return entries


def load(catalog: Catalog, photo_ids: list[int]) -> list[Entry]:
    """The photos in the order given; an id the catalog does not hold is left out."""
    db = catalog.db
    out = []
    for photo_id in photo_ids:
        row = photos.row(db, photo_id)
        if row is None:
            continue
        captions = {
            lang: {k: text for k in PER_LANGUAGE if (text := _clean(values.get(k)))}
            for lang, values in photos.captions(db, photo_id).items()
        }
        thumb = row.get("thumb_path")
        gps = (
            (row["gps_lat"], row["gps_lon"])
            if row.get("gps_lat") is not None and row.get("gps_lon") is not None
            else None
        )
        out.append(
            Entry(
                id=photo_id,
                file_name=row["file_name"] or "",
                sha256=row["sha256"],
                kind=row.get("kind") or "photo",
                original=catalog.archive.resolve(row.get("original_path") or ""),
                thumbnail=catalog.archive.resolve(thumb) if thumb else None,
                taken=from_columns(row),
                captions={lang: values for lang, values in captions.items() if values},
                fields={k: text for k in PER_PHOTO_TEXT if (text := _clean(row.get(k)))},
                keywords=[k for k in json.loads(row.get("keywords") or "[]") if _clean(k)],
                created_place=_place(db, row.get("created_place_id")),
                shown_place=_place(db, row.get("shown_place_id")),
                gps=gps,
                camera={
                    k: str(row[k])
                    for k in ("camera_make", "camera_model", "lens_model", "body_serial")
                    if row.get(k)
                },
            )
        )
    return out
