"""How long ranking before/after pair suggestions takes over a whole archive.

    python bench/pair_suggest_bench.py                  # 10,000 photos
    python bench/pair_suggest_bench.py --n 50000 --seed 3
    python bench/pair_suggest_bench.py --catalog        # also end to end through a catalog

Generates N photos spread the way a desk's archive is: a few hundred named
shown places (a few popular, a long tail; some photos name none), GPS over a
region about 100 km across, clustered around the places and a few towns (some
photos have none), dates from 2015 to 2025 written at every precision the desk
uses, random 64-bit hashes (a few missing) and some planted rephotographs:
the same place and viewpoint years later with a hash a few bits off.

Times `rank()` in-process (best of 5) and, as a yardstick in the same run, the
time merely to build the Candidate list and turn every hash into an int; the
ratio is the ranking's own cost. With --catalog, it
also builds a real catalog of the same photos and times
`photodesk.pairs.suggestions(catalog)` end to end, for the whole archive and
for a story holding a tenth of it.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import photodesk.pairs
from photodesk.dates import parse_date
from photodesk.pairs.suggest import Candidate, hash_int, rank, rank_with_stats

CENTRE = (42.87, 130.36)  # Hunchun, near the Quanhe crossing
KM_PER_DEGREE = 111.195
REPEATS = 5
Spot = tuple[float, float]  # latitude, longitude


@dataclass
class Raw:
    """One generated photo before it becomes a Candidate (or a catalog row)."""

    photo_id: int
    start: datetime
    end: datetime
    precision: str
    text: str
    place: int | None
    lat: float | None
    lon: float | None
    phash: str | None


def _offset(rnd: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    """A point about `km` (Gaussian) from lat/lon."""
    dy, dx = rnd.gauss(0, km), rnd.gauss(0, km)
    scale = KM_PER_DEGREE * math.cos(math.radians(lat))
    return lat + dy / KM_PER_DEGREE, lon + dx / scale


# How the desk writes dates, and how often: most photos carry an EXIF time.
PRECISIONS = {
    "second": 60,
    "day": 10,
    "part-month": 6,
    "month": 10,
    "season": 4,
    "year": 7,
    "circa": 3,
}
_PART = {range(1, 11): "early", range(11, 21): "mid", range(21, 32): "late"}
_SEASON = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring"}
_SEASON |= {6: "summer", 7: "summer", 8: "summer", 9: "autumn", 10: "autumn", 11: "autumn"}


def _phrase(moment: datetime, precision: str) -> str:
    if precision == "second":
        return f"{moment:%Y-%m-%d %H:%M:%S}"
    if precision == "day":
        return f"{moment:%Y-%m-%d}"
    if precision == "part-month":
        part = next(p for days, p in _PART.items() if moment.day in days)
        return f"{part} {moment:%B %Y}"
    if precision == "month":
        return f"{moment:%B %Y}"
    if precision == "season":
        year = moment.year - (moment.month < 3)  # December's winter runs into the new year
        return f"{_SEASON[moment.month]} {max(year, 2015)}"
    return f"circa {moment.year}" if precision == "circa" else f"{moment.year}"


def _date(
    rnd: random.Random, moment: datetime | None = None
) -> tuple[datetime, datetime, str, str]:
    """A date at a random precision: around `moment`, or anywhere in 2015–2025."""
    moment = moment or datetime(2015, 1, 1) + timedelta(seconds=rnd.randrange(11 * 365 * 86_400))
    moment = min(moment, datetime(2025, 12, 31))
    precision = rnd.choices(list(PRECISIONS), weights=list(PRECISIONS.values()))[0]
    taken = parse_date(_phrase(moment, precision))
    return taken.start, taken.end, taken.precision, taken.text


def _layout(rnd: random.Random, n_places: int) -> tuple[list[Spot], list[float]]:
    """Place positions within ~50 km of the centre, and how popular each is (a long tail)."""
    spots = [_offset(rnd, *CENTRE, 20) for _ in range(n_places)]
    weights = [1 / (rank + 1) ** 0.5 for rank in range(n_places)]
    return spots, weights


def _photo(
    rnd: random.Random, pid: int, spots: list[Spot], weights: list[float], towns: list[Spot]
) -> Raw:
    place = rnd.choices(range(len(spots)), weights=weights)[0] if rnd.random() < 0.7 else None
    lat = lon = None
    if rnd.random() < 0.75:  # some cameras have no GPS, or the partner stripped it
        if place is not None:
            lat, lon = _offset(rnd, *spots[place], 0.8)  # the camera stands back from the subject
        elif rnd.random() < 0.6:
            lat, lon = _offset(rnd, *rnd.choice(towns), 2.0)
        else:
            lat, lon = _offset(rnd, *CENTRE, 25)
    phash = f"{rnd.getrandbits(64):016x}" if rnd.random() < 0.95 else None
    start, end, precision, text = _date(rnd)
    return Raw(pid, start, end, precision, text, place, lat, lon, phash)


def _rephotograph(rnd: random.Random, pid: int, of: Raw) -> Raw:
    """The same scene from the same spot years later: a hash a few bits off."""
    years = rnd.randint(2, 6)
    start, end, precision, text = _date(rnd, of.end + timedelta(days=365 * years))
    lat = lon = None
    if of.lat is not None and of.lon is not None:
        lat, lon = _offset(rnd, of.lat, of.lon, 0.15)
    bits = int(of.phash or f"{rnd.getrandbits(64):016x}", 16)
    for bit in rnd.sample(range(64), rnd.randint(2, 12)):
        bits ^= 1 << bit
    return Raw(pid, start, end, precision, text, of.place, lat, lon, f"{bits:016x}")


def generate(n: int, seed: int, n_places: int) -> tuple[list[Raw], set[frozenset[int]]]:
    rnd = random.Random(seed)
    spots, weights = _layout(rnd, n_places)
    towns = [_offset(rnd, *CENTRE, 25) for _ in range(12)]
    raws: list[Raw] = []
    planted: set[frozenset[int]] = set()
    while len(raws) < n:
        pid = len(raws) + 1
        raws.append(_photo(rnd, pid, spots, weights, towns))
        if len(raws) < n and rnd.random() < 0.02:
            raws.append(_rephotograph(rnd, pid + 1, raws[-1]))
            planted.add(frozenset((pid, pid + 1)))
    return raws, planted


def candidates(raws: list[Raw], names: list[str]) -> list[Candidate]:
    return [
        Candidate(
            photo_id=r.photo_id,
            file_name=f"IMG_{r.photo_id:05}.jpg",
            start=r.start,
            end=r.end,
            date_text=r.text,
            shown_place_id=None if r.place is None else r.place + 1,
            shown_place=None if r.place is None else names[r.place],
            lat=r.lat,
            lon=r.lon,
            phash=r.phash,
        )
        for r in raws
    ]


def best_ms(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return min(times)


def _build(raws: list[Raw], names: list[str]) -> None:
    for c in candidates(raws, names):
        hash_int(c.phash)


def _catalog(raws: list[Raw], names: list[str]) -> float:
    """End to end through a real catalog: the query, the candidates, the ranking."""
    from photodesk.catalog import Catalog, photos, places, stories
    from photodesk.catalog.tx import write
    from photodesk.config import Archive

    with tempfile.TemporaryDirectory() as tmp, Catalog.open(Archive.locate(tmp)) as cat:
        t = time.perf_counter()
        with write(cat.db):  # one transaction: the bench measures ranking, not commits
            ids = [places.add(cat.db, name) for name in names]
            photo_ids = [
                photos.add(cat.db, _row(r, c, ids), captions=None)[0]
                for r, c in zip(raws, candidates(raws, names), strict=True)
            ]
            story = stories.create(cat.db, "bench story")
            stories.append(cat.db, story, photo_ids[-len(photo_ids) // 10 :])
        print(f"catalog: {len(raws)} photos built in {time.perf_counter() - t:.1f} s")
        slowest = 0.0
        for label, story_name in (("whole archive", None), ("a story of 10%", "bench story")):
            found = photodesk.pairs.suggestions(cat, story_name)
            ms = best_ms(lambda name=story_name: photodesk.pairs.suggestions(cat, name))
            slowest = max(slowest, ms)
            print(
                f"catalog: photodesk.pairs.suggestions, {label}, best of {REPEATS}: "
                f"{ms:.1f} ms, {len(found)} suggestions"
            )
        return slowest


def _row(r: Raw, c: Candidate, place_ids: list[int]) -> dict[str, Any]:
    return {
        "sha256": f"{r.photo_id:064x}",
        "file_name": c.file_name,
        "taken_start": r.start.isoformat(timespec="seconds"),
        "taken_end": r.end.isoformat(timespec="seconds"),
        "taken_precision": r.precision,
        "taken_text": r.text,
        "gps_lat": r.lat,
        "gps_lon": r.lon,
        "phash": r.phash,
        "shown_place_id": None if r.place is None else place_ids[r.place],
    }


def describe(raws: list[Raw], planted: set[frozenset[int]]) -> None:
    sizes = Counter(r.place for r in raws if r.place is not None)
    print(
        f"N {len(raws)} photos: {sum(sizes.values())} at {len(sizes)} shown places "
        f"(largest {max(sizes.values(), default=0)}), {sum(r.lat is not None for r in raws)} "
        f"with GPS, {sum(r.phash is None for r in raws)} without a hash, "
        f"{len(planted)} planted rephotographs"
    )


def measure(raws: list[Raw], names: list[str], planted: set[frozenset[int]]) -> None:
    cands = candidates(raws, names)
    found, stats = rank_with_stats(cands)
    n = len(raws)
    print(
        f"pairs: {n * (n - 1) // 2} possible, {stats.examined} examined, "
        f"{stats.candidates} suggestible, {len(found)} returned (limit 20), "
        f"{sum(frozenset((s.before.photo_id, s.after.photo_id)) in planted for s in found)} "
        "of them planted"
    )
    build = best_ms(lambda: _build(raws, names))
    ranked = best_ms(lambda: rank(cands))
    everything = best_ms(lambda: rank(cands, limit=None))
    print(f"build Candidates + hash ints  {build:8.1f} ms  (best of {REPEATS})")
    print(f"rank(), limit 20              {ranked:8.1f} ms  ratio {ranked / build:5.1f}x")
    print(f"rank(), limit None            {everything:8.1f} ms  ratio {everything / build:5.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="photos (default 10,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--places", type=int, default=300, help="named shown places")
    parser.add_argument("--catalog", action="store_true", help="also time the catalog glue")
    parser.add_argument(
        "--max-ms",
        type=float,
        help="with --catalog: exit 1 if a suggestion through the catalog takes longer",
    )
    args = parser.parse_args()

    raws, planted = generate(args.n, args.seed, args.places)
    names = [f"place {k + 1}" for k in range(args.places)]
    describe(raws, planted)
    measure(raws, names, planted)
    if args.catalog:
        slowest = _catalog(raws, names)
        if args.max_ms is not None and slowest > args.max_ms:
            print(f"too slow: {slowest:.1f} ms is over the {args.max_ms:.0f} ms asked for")
            sys.exit(1)


if __name__ == "__main__":
    main()
