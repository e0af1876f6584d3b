"""The gazetteer: named places with the IPTC hierarchy and optional coordinates.

A photo refers to two of them: where the camera stood (created) and what the
frame shows (shown). GPS only ever suggests; assignment is the editor's call.
"""

from __future__ import annotations

import json
import math
from typing import Any

from sqlite_utils import Database

from photodesk.catalog import names
from photodesk.catalog.sql import _insert, _one, _rows, _value
from photodesk.catalog.tx import write
from photodesk.errors import PhotodeskError
from photodesk.fields import PLACE_PARTS, where

DETAILS = (*PLACE_PARTS, "latitude", "longitude")
# The parts a place's name is made of when a file's metadata names it, and
# that search finds it by.
_NAMED_BY = tuple(f.name for f in where(scope="place", has="search"))
# The fields that refer to a place; each is stored as `<name>_id` on the photo.
REFERENCES = tuple(f.name for f in where(type="place"))
EARTH_RADIUS_KM = 6371.0088


class PlaceError(PhotodeskError):
    pass


class UnknownPlace(PlaceError, names.UnknownName):
    pass


def find(db: Database, name: str) -> int | None:
    """The place of this name, in any case, with any dash and any spacing."""
    found = _value(db, "SELECT id FROM places WHERE name = ? COLLATE NOCASE", [name.strip()])
    return found if found is not None else names.choose(name, _names(db), "place", partial=False)


def lookup(db: Database, name_or_id: str | int) -> int | None:
    """A place by name (see `find`), by id, or by the start of its name when only one has it.

    "Wonjong" finds "Wonjong customs house" when no other place starts so;
    a name that several places share raises names.AmbiguousName with them listed.
    """
    found = find(db, str(name_or_id))
    number = names.as_id(str(name_or_id))
    if found is None and number is not None:
        found = _value(db, "SELECT id FROM places WHERE id = ?", [number])
    return found if found is not None else names.choose(str(name_or_id), _names(db), "place")


def _names(db: Database) -> list[tuple[int, str]]:
    return [(r["id"], r["name"]) for r in _rows(db, "SELECT id, name FROM places")]


def get(db: Database, place_id: int) -> dict[str, Any] | None:
    return _one(db, "SELECT * FROM places WHERE id = ?", [place_id])


def name_for(parts: dict[str, str]) -> str | None:
    """A name for a place a file's metadata describes: "Quanhe, Hunchun, Jilin, China"."""
    return ", ".join(parts[k] for k in _NAMED_BY if parts.get(k)) or None


def describe(db: Database, place_id: int | None) -> list[str]:
    """The place's name and the parts of its hierarchy, as search indexes them."""
    place = get(db, place_id) if place_id else None
    if place is None:
        return []
    return [place["name"], *(place[k] for k in _NAMED_BY if place.get(k))]


def require(db: Database, name_or_id: str | int) -> int:
    found = lookup(db, name_or_id)
    if found is None:
        raise UnknownPlace(f"no place named {name_or_id!r} (see: photodesk place list)")
    return found


def find_or_create(db: Database, name: str, **details: object) -> tuple[int, bool]:
    """Return (id, created); a new place holds only what the caller knows."""
    with write(db):
        return _find_or_create(db, name, **details)


def _find_or_create(db: Database, name: str, **details: object) -> tuple[int, bool]:
    existing = find(db, name)
    if existing is not None:
        return existing, False
    values = {k: v for k, v in details.items() if k in DETAILS and v not in (None, "")}
    return _insert(db, "places", {"name": name.strip(), **values}), True


def check_position(lat: Any, lon: Any) -> None:
    """A position is a latitude and a longitude: one without the other points nowhere."""
    if (lat is None) != (lon is None):
        given, missing = ("latitude", "longitude") if lon is None else ("longitude", "latitude")
        raise PlaceError(f"a {given} without a {missing} is no position: give both, or neither")


def check_details(details: dict[str, Any]) -> dict[str, Any]:
    """Coordinates in range and an ISO country code, before anything is written."""
    lat, lon = details.get("latitude"), details.get("longitude")
    if lat is not None and not -90 <= lat <= 90:
        raise PlaceError(f"latitude {lat} is outside -90..90")
    if lon is not None and not -180 <= lon <= 180:
        raise PlaceError(f"longitude {lon} is outside -180..180")
    code = details.get("country_code")
    if code:
        code = code.strip().upper()
        if not (len(code) in (2, 3) and code.isalpha() and code.isascii()):
            raise PlaceError(f"country code {code!r} is not an ISO 3166 code such as CN or KP")
        details["country_code"] = code
    return details


def add(db: Database, name: str, **details: Any) -> int:
    name = name.strip()
    if not name:
        raise PlaceError("a place needs a name")
    if find(db, name) is not None:
        raise PlaceError(f"a place named {name!r} exists already (change it with place edit)")
    values = check_details({k: v for k, v in details.items() if k in DETAILS and v is not None})
    check_position(values.get("latitude"), values.get("longitude"))
    with write(db):
        return _insert(db, "places", {"name": name, **values})


def photos_at(db: Database, place_id: int) -> list[int]:
    return [
        r["id"]
        for r in _rows(
            db,
            "SELECT id FROM photos WHERE created_place_id = ? OR shown_place_id = ?",
            [place_id, place_id],
        )
    ]


def _restore(db: Database, snapshot: str) -> None:
    """Bring back a merged-away place exactly as it was (undo of a merge)."""
    row = json.loads(snapshot)
    if find(db, row["name"]) is not None:
        raise PlaceError(f"cannot restore place {row['name']!r}: a place of that name exists again")
    _insert(db, "places", row)


def listing(db: Database) -> list[dict[str, Any]]:
    return _rows(
        db,
        "SELECT p.*, (SELECT count(*) FROM photos f WHERE f.created_place_id = p.id "
        "OR f.shown_place_id = p.id) AS photos FROM places p ORDER BY p.name COLLATE NOCASE",
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine); plenty for 'which named place is near'."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def near(
    db: Database, lat: float, lon: float, within_km: float = 25.0, limit: int = 10
) -> list[dict[str, Any]]:
    """Places with coordinates within `within_km`, nearest first, each with its distance."""
    rows = [p for p in listing(db) if p["latitude"] is not None and p["longitude"] is not None]
    for p in rows:
        p["distance_km"] = round(distance_km(lat, lon, p["latitude"], p["longitude"]), 3)
    return sorted(
        (p for p in rows if p["distance_km"] <= within_km), key=lambda p: p["distance_km"]
    )[:limit]
