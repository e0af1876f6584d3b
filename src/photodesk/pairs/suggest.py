"""Suggested before/after pairs: photos of one scene taken far enough apart to set side by side.

Pure ranking over plain data. The catalog query that feeds it and the glue that
shows the result live elsewhere, so this module never speaks SQL or draws.

Two photos make a suggestion when they show the same named place (same shown
place id) or their cameras stood within `within_km` of each other, and the later
one's date range starts at least `min_gap_days` after the earlier one's ends.
Alike pictures (small dHash distance) rank first.

What the data may hold and how it is read (never a crash):
- no date, a start/end that is not a datetime, or a photo id that is not an
  int: the photo is left out; a repeated id keeps its first photo; a range
  given backwards is read the right way round. Dates are wall-clock times:
  a tzinfo, if any, is ignored, as the catalog keeps naive local times.
- GPS missing, non-finite or out of range (|lat| > 90, |lon| > 180): no GPS,
  rather than a guessed position that would suggest the wrong scene.
  Positions are compared on the sphere, so the poles and the antimeridian
  (179.99° beside -179.99°) need no special case.
- a hash that is not 16 hex digits: no hash; such pairs rank after every
  measured one.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain, product
from typing import Any

from photodesk.errors import PhotodeskError
from photodesk.pairs.timing import EXACT, span_between
from photodesk.phash import BITS

# The gazetteer's mean radius, so a distance here reads the same as one there.
EARTH_RADIUS_KM = 6371.0088
_DIAMETER = 2 * EARTH_RADIUS_KM
_US_PER_DAY = 86_400_000_000
_NO_HASH = BITS + 1  # sorts a pair without a distance after every measured one
_ORIGIN = (0.0, 0.0, 0.0)
_HEX64 = re.compile(r"[0-9a-fA-F]{16}")  # int(x, 16) alone would take "0x…", "_" and spaces
# How alike a dHash distance reads: rephotographs of one viewpoint differ in a
# few bits, unrelated pictures in about half of them.
_LIKENESS = ((10, "images alike"), (20, "images somewhat alike"), (BITS, "images look different"))
# Every distance's words, made once: a full ranking words over a hundred thousand pairs.
_LIKENESS_WORDS = [
    f"{next(label for most, label in _LIKENESS if d <= most)}: {d} of {BITS} hash bits differ"
    for d in range(BITS + 1)
] + ["likeness unknown: a photo has no image hash"]


class SuggestError(PhotodeskError):
    """A suggestion setting that cannot be meant (a negative distance or gap)."""


@dataclass(frozen=True)
class Candidate:
    """A dated photo as the catalog hands it over: what pairing needs, nothing else."""

    photo_id: int
    file_name: str
    start: datetime  # the photo's date range, naive local time, inclusive
    end: datetime
    date_text: str  # the desk's phrase for it ("September 2019")
    shown_place_id: int | None
    shown_place: str | None  # its name
    lat: float | None  # GPS of the camera
    lon: float | None
    phash: str | None  # 16 hex digits (photodesk.phash.dhash), None if unknown
    precision: str = "range"  # the date's precision (dates.PRECISIONS): exact dates read "about"


@dataclass
class Suggestion:
    before: Candidate
    after: Candidate
    distance: int | None  # hash distance, 0..64 (None when a hash is missing)
    km: float | None  # camera distance when both have GPS
    reasons: list[str]  # human-readable: why it was suggested


@dataclass
class Stats:
    """What one ranking did, for benchmarks and for a status line."""

    photos: int = 0  # usable photos: dated, with an id
    skipped: int = 0  # left out: undated, no id, or a repeated id
    examined: int = 0  # pairs looked at: far enough apart in time and in one group or cell area
    candidates: int = 0  # pairs that met every rule


def _point(lat: float, lon: float) -> tuple[float, float, float]:
    """Where a camera stood in 3-D space, km from the Earth's centre (a sphere)."""
    p, q = math.radians(lat), math.radians(lon)
    r = EARTH_RADIUS_KM * math.cos(p)
    return r * math.cos(q), r * math.sin(q), EARTH_RADIUS_KM * math.sin(p)


def _arc(p: tuple[float, float, float], q: tuple[float, float, float]) -> float:
    """The great-circle distance between two points on the sphere, from the chord between them."""
    return _arc_of_chord(math.dist(p, q))


def _arc_of_chord(chord: float) -> float:
    # The pairing loop inlines this very expression: keep the two the same, operation for
    # operation, so a pair is within reach there exactly when distance_km says so.
    return _DIAMETER * math.asin(min(1.0, chord / _DIAMETER))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km; agrees with the gazetteer's haversine to well under a metre.

    Computed through the chord so that the pairing loops, which hold each
    camera's point in space, get exactly the same number as this function.
    """
    return _arc(_point(lat1, lon1), _point(lat2, lon2))


def hash_int(value: object) -> int | None:
    """A stored dHash as an int for XOR, or None when it is not 16 hex digits."""
    if isinstance(value, str) and _HEX64.fullmatch(value):
        return int(value, 16)
    return None


def _position(lat: object, lon: object) -> tuple[float, float] | None:
    """Usable camera coordinates, or None when missing, non-finite or out of range."""
    if lat is None or lon is None:
        return None
    try:
        la, lo = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180):
        return None
    return la, lo


def _micros(dt: datetime) -> int:
    # Exact integer arithmetic, and no quarrel between naive and aware datetimes.
    seconds = dt.toordinal() * 86_400 + dt.hour * 3_600 + dt.minute * 60 + dt.second
    return seconds * 1_000_000 + dt.microsecond


@dataclass
class _Photos:
    """Usable candidates in date order (start, end, id), with what pairing reads as lists.

    Index order is date order, so the earlier of two photos is the one with the
    smaller index, and a slice of a group from some index on is "later than".
    """

    items: list[Candidate]
    starts: list[int]  # microseconds of wall-clock time
    ends: list[int]
    hashes: list[int | None]
    places: list[int | None]
    points: list[tuple[float, float, float] | None]  # the camera in space, when GPS is usable
    skipped: int
    phrases: dict[int, str] = field(default_factory=dict)

    def phrase(self, i: int) -> str:
        """Photo i's date phrase, worded once however many pairs it is in."""
        if i not in self.phrases:
            self.phrases[i] = _phrase(self.items[i])
        return self.phrases[i]


def _dated(candidates: Iterable[Candidate]) -> tuple[list[tuple[int, int, int, Candidate]], int]:
    """(start, end, id, candidate) of each usable photo, in date order; and how many were not."""
    rows, seen, skipped = [], set(), 0
    for c in candidates:
        start, end, pid = c.start, c.end, c.photo_id
        usable = isinstance(start, datetime) and isinstance(end, datetime)
        if not usable or type(pid) is not int or pid in seen:  # bool is no id either
            skipped += 1
            continue
        seen.add(pid)
        s, e = _micros(start), _micros(end)
        rows.append((s, e, pid, c) if s <= e else (e, s, pid, c))
    rows.sort(key=lambda r: r[:3])
    return rows, skipped


def _prepare(candidates: Iterable[Candidate]) -> _Photos:
    rows, skipped = _dated(candidates)
    items = [r[3] for r in rows]
    places = [c.shown_place_id for c in items]
    coords = [_position(c.lat, c.lon) for c in items]
    return _Photos(
        items=items,
        starts=[r[0] for r in rows],
        ends=[r[1] for r in rows],
        hashes=[hash_int(c.phash) for c in items],
        places=[p if type(p) is int else None for p in places],
        points=[None if c is None else _point(*c) for c in coords],
        skipped=skipped,
    )


class _Best:
    """The best pairs so far. With a limit, a bounded heap holding the worst kept at [0].

    Heap entries are the negated ranking key, so the heap's smallest is the worst
    kept pair; `worst` lets the caller drop most pairs on their hash distance alone.
    """

    def __init__(self, limit: int | None, keep: Collection[int] | None = None) -> None:
        self.limit = limit
        self.keep = None if keep is None else set(keep)
        self.entries: list[tuple[Any, ...]] = []
        self.worst = _NO_HASH  # nothing ranks below it until the heap is full

    def offer(self, ph: _Photos, a: int, b: int, d: int, same: bool, km: float | None) -> None:
        before, after = ph.items[a].photo_id, ph.items[b].photo_id
        if self.keep is not None and before not in self.keep and after not in self.keep:
            return
        far = math.inf if km is None else km
        if self.limit is None:
            self.entries.append((d, not same, far, -ph.starts[b], before, after, a, b, km))
            return
        entry = (-d, same, -far, ph.starts[b], -before, -after, a, b, km)
        if len(self.entries) < self.limit:
            heapq.heappush(self.entries, entry)
        else:
            heapq.heappushpop(self.entries, entry)
        if len(self.entries) == self.limit:
            self.worst = -self.entries[0][0]

    def ranked(self) -> list[tuple[int, int, int, float | None]]:
        """(a, b, distance, km) from best to worst."""
        if self.limit is None:
            return [(e[6], e[7], e[0], e[8]) for e in sorted(self.entries)]
        return [(e[6], e[7], -e[0], e[8]) for e in sorted(self.entries, reverse=True)]


def _groups(ph: _Photos) -> Iterator[list[int]]:
    by_place: dict[int, list[int]] = {}
    for i, place in enumerate(ph.places):
        if place is not None:
            by_place.setdefault(place, []).append(i)
    return (members for members in by_place.values() if len(members) > 1)


def _later(ph: _Photos, pool: list[int], starts: list[int], a: int, gap: int) -> list[int]:
    """The photos of `pool` (in date order) that start `gap` or more after `a` ends."""
    # Only photos after `a` in the pool: each pair is met once, from its earlier photo.
    # (Equal instants with a zero gap meet the rule both ways; date order settles them.)
    return pool[bisect_left(starts, ph.ends[a] + gap, bisect_left(pool, a + 1)) :]


def _place_pairs(ph: _Photos, gap: int, best: _Best, skip: set[int], stats: Stats) -> None:
    """Pairs that show the same named place.

    Every photo of a place far enough apart in time is a candidate, so a place
    with thousands of photos costs pairs in the millions: that is the answer's
    size, not waste. The loop stays lean for it: one XOR and one comparison
    against the worst kept pair before anything else is computed.
    """
    n, hashes, points = len(ph.items), ph.hashes, ph.points
    for members in _groups(ph):
        starts = [ph.starts[k] for k in members]
        for a in members:
            later = _later(ph, members, starts, a, gap)
            stats.examined += len(later)
            ha, pa = hashes[a], points[a]
            for b in later:
                if skip and a * n + b in skip:
                    continue
                stats.candidates += 1
                hb = hashes[b]  # inline, not a helper: this runs once per candidate pair
                d = _NO_HASH if ha is None or hb is None else (ha ^ hb).bit_count()
                if d > best.worst:
                    continue
                pb = points[b]
                km = None if pa is None or pb is None else _arc(pa, pb)
                best.offer(ph, a, b, d, True, km)


def _chord(km: float) -> float:
    """The straight-line length through the Earth of a great-circle arc."""
    return (
        2 * EARTH_RADIUS_KM * math.sin(min(km, math.pi * EARTH_RADIUS_KM) / (2 * EARTH_RADIUS_KM))
    )


def _cells(ph: _Photos, side: float) -> tuple[dict[int, list[int]], list[int]]:
    """Photos with GPS bucketed in cubes of `side` km of 3-D space around the Earth's centre.

    A grid on the sphere's surface needs longitude cells that widen towards the
    poles and wrap at ±180°; cubes in space need neither, and two cameras within
    `side` of each other are always in the same or adjacent cubes. A cube is one
    int (mixed radix, so a neighbour is the key plus a fixed offset): cheaper to
    hash than a tuple, and there are 27 look-ups per cube. Also returns those offsets.
    """
    radix = 2 * (math.ceil(EARTH_RADIUS_KM / side) + 2)
    cells: dict[int, list[int]] = {}
    for i, point in enumerate(ph.points):
        if point is not None:
            x, y, z = (math.floor(v / side) for v in point)
            cells.setdefault((x * radix + y) * radix + z, []).append(i)
    offsets = [(dx * radix + dy) * radix + dz for dx, dy, dz in product((-1, 0, 1), repeat=3)]
    return cells, offsets


def _gps_pairs(
    ph: _Photos, gap: int, within_km: float, best: _Best, skip: set[int], stats: Stats
) -> None:
    """Pairs whose cameras stood within `within_km`, not already met as one shown place.

    A crowd of cameras at one spot costs pairs in the millions, as a crowded
    place does; most of them rank below every kept pair, and one that is surely
    within reach is then counted without working out its arc.
    """
    chord = _chord(within_km)
    reach = chord * (1 + 1e-9) + 1e-9  # a loose first test in space; the arc decides
    sure = chord * (1 - 1e-9) - 1e-9  # nearer than this is within reach, whatever the rounding
    # A cube a little wider than the reach, so rounding in floor() cannot skip a neighbour.
    cells, offsets = _cells(ph, chord * 1.001 + 1e-6)
    n, hashes, places = len(ph.items), ph.hashes, ph.places
    space = [_ORIGIN if p is None else p for p in ph.points]  # only photos with GPS are read
    for key, members in cells.items():
        pool = sorted(chain.from_iterable(cells.get(key + o, ()) for o in offsets))
        starts = [ph.starts[k] for k in pool]
        for a in members:
            later = _later(ph, pool, starts, a, gap)
            stats.examined += len(later)
            pa, here, ha = places[a], space[a], hashes[a]
            near = [(b, c) for b in later if (c := math.dist(here, space[b])) <= reach]
            for b, c in near:
                if (pa is not None and places[b] == pa) or (skip and a * n + b in skip):
                    continue  # the place pass has it, or it is paired already
                hb = hashes[b]
                d = _NO_HASH if ha is None or hb is None else (ha ^ hb).bit_count()
                if d > best.worst and c <= sure:
                    stats.candidates += 1
                    continue
                km = _DIAMETER * math.asin(min(1.0, c / _DIAMETER))  # _arc_of_chord(c), inlined
                if km <= within_km:
                    stats.candidates += 1
                    if d <= best.worst:
                        best.offer(ph, a, b, d, False, km)


def _exclusions(ph: _Photos, exclude: Collection[frozenset[int]]) -> set[int]:
    """Already-paired photos as codes `a * n + b` of their indices (a before b): cheap to test."""
    index = {c.photo_id: i for i, c in enumerate(ph.items)}
    n, codes = len(ph.items), set()
    for pair in exclude:
        found = sorted(index[pid] for pid in pair if pid in index)
        if len(pair) == 2 and len(found) == 2:
            codes.add(found[0] * n + found[1])
    return codes


def _phrase(c: Candidate) -> str:
    """The desk's phrase for the date, on one line; the start day if it has none."""
    text = c.date_text if isinstance(c.date_text, str) else ""
    return " ".join(text.split()) or f"{c.start:%Y-%m-%d}"


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def _moment(micros: int) -> datetime:
    days, rest = divmod(micros, 86_400_000_000)
    return datetime.fromordinal(days) + timedelta(microseconds=rest)


def _span_words(ph: _Photos, a: int, b: int) -> str:
    """The span as `pair show` words it: "about 3 years 10 months", or between two bounds."""
    exact = all(ph.items[i].precision in EXACT for i in (a, b))
    before = (_moment(ph.starts[a]), _moment(ph.ends[a]))
    after = (_moment(ph.starts[b]), _moment(ph.ends[b]))
    return span_between(before, after, exact)


def _km_words(km: float) -> str:
    return f"{round(km * 1000)} m" if km < 1 else f"{km:.1f} km"


def _reasons(ph: _Photos, a: int, b: int, d: int, km: float | None) -> list[str]:
    reasons = []
    if ph.places[a] is not None and ph.places[a] == ph.places[b]:
        name = ph.items[a].shown_place
        shown = name if isinstance(name, str) and name.strip() else f"place {ph.places[a]}"
        reasons.append(f"same shown place: {' '.join(shown.split())}")
    if km is not None:
        reasons.append(f"cameras {_km_words(km)} apart")
    reasons.append(f"taken {ph.phrase(a)} and {ph.phrase(b)}: {_span_words(ph, a, b)} apart")
    reasons.append(_LIKENESS_WORDS[d])
    return reasons


def _check(within_km: float, min_gap_days: int, limit: int | None) -> None:
    if not (isinstance(within_km, int | float) and math.isfinite(within_km) and within_km >= 0):
        raise SuggestError(f"within_km must be 0 km or more, not {within_km!r}")
    if not isinstance(min_gap_days, int) or min_gap_days < 0:
        raise SuggestError(f"min_gap_days must be 0 days or more, not {min_gap_days!r}")
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise SuggestError(f"limit must be 0 or more (or None for all), not {limit!r}")


def rank_with_stats(
    candidates: Iterable[Candidate],
    *,
    within_km: float = 1.0,
    min_gap_days: int = 180,
    exclude: Collection[frozenset[int]] = (),
    limit: int | None = 20,
    keep: Collection[int] | None = None,
) -> tuple[list[Suggestion], Stats]:
    """`rank`, and what it took: photos used and skipped, pairs examined and suggested."""
    _check(within_km, min_gap_days, limit)
    ph = _prepare(candidates)
    stats = Stats(photos=len(ph.items), skipped=ph.skipped)
    if limit == 0:
        return [], stats
    best, skip, gap = _Best(limit, keep), _exclusions(ph, exclude), min_gap_days * _US_PER_DAY
    _place_pairs(ph, gap, best, skip, stats)
    _gps_pairs(ph, gap, within_km, best, skip, stats)
    suggestions = [
        Suggestion(
            before=ph.items[a],
            after=ph.items[b],
            distance=None if d == _NO_HASH else d,
            km=km,
            reasons=_reasons(ph, a, b, d, km),
        )
        for a, b, d, km in best.ranked()
    ]
    return suggestions, stats


def rank(
    candidates: Iterable[Candidate],
    *,
    within_km: float = 1.0,
    min_gap_days: int = 180,
    exclude: Collection[frozenset[int]] = (),
    limit: int | None = 20,
    keep: Collection[int] | None = None,
) -> list[Suggestion]:
    """Likely before/after pairs among `candidates`, best first (see the module docstring).

    Best means most alike (smallest hash distance); then pairs without a hash;
    ties go to the same shown place over GPS alone, nearer cameras, the newer
    `after`, and finally the photo ids, so the order never depends on the input's.
    `exclude` holds pairs already made ({before_id, after_id}); `limit=None` gives all;
    with `keep`, only pairs with at least one of those photo ids are suggested.
    """
    found, _ = rank_with_stats(
        candidates,
        within_km=within_km,
        min_gap_days=min_gap_days,
        exclude=exclude,
        limit=limit,
        keep=keep,
    )
    return found
