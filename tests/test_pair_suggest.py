"""Suggested before/after pairs: the rules, the order, the wording, and hostile photo data.

A brute-force reference (every pair against the rules, O(n²)) checks that the
grouping and the spatial grid never miss or invent a pair, including cameras
near cell borders, across the antimeridian and at the poles.
"""

from __future__ import annotations

import ast
import math
import random
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from photodesk.catalog.places import distance_km as gazetteer_km
from photodesk.dates import parse_date
from photodesk.pairs import suggest as suggest_module
from photodesk.pairs.suggest import Candidate, SuggestError, distance_km, rank, rank_with_stats
from photodesk.pairs.timing import span

KM_PER_DEGREE = math.pi * 6371.0088 / 180  # along a meridian, on the suggester's sphere
FENCE = "Tumen River border fence"


def photo(
    pid: int,
    when: str = "2019-09-10",
    *,
    place: int | None = None,
    name: str | None = None,
    gps: tuple[float, float] | None = None,
    phash: str | None = None,
) -> Candidate:
    taken = parse_date(when)
    return Candidate(
        photo_id=pid,
        file_name=f"IMG_{pid:04}.jpg",
        start=taken.start,
        end=taken.end,
        date_text=taken.text,
        shown_place_id=place,
        shown_place=name if name is not None else (None if place is None else f"place {place}"),
        lat=gps[0] if gps else None,
        lon=gps[1] if gps else None,
        phash=phash,
        precision=taken.precision,
    )


def north(gps: tuple[float, float], km: float) -> tuple[float, float]:
    return gps[0] + km / KM_PER_DEGREE, gps[1]


def flip(phash: str, bits: int) -> str:
    """The hash with its lowest `bits` bits flipped: exactly `bits` apart."""
    return f"{int(phash, 16) ^ ((1 << bits) - 1):016x}"


def ids(suggestions) -> list[tuple[int, int]]:
    return [(s.before.photo_id, s.after.photo_id) for s in suggestions]


QUANHE = (42.4100, 130.6400)
H = "a5a5a5a5a5a5a5a5"


# -- the reference story --------------------------------------------------------------------


def fence_and_distractors() -> list[Candidate]:
    seoul, beijing = (37.5665, 126.9780), (39.9042, 116.4074)
    hunchun = (42.8700, 130.3600)
    return [
        # The single barbed-wire fence, 2019, and the double fence, 2023: 8 bits apart.
        photo(1, "September 2019", place=7, name=FENCE, gps=QUANHE, phash=H),
        photo(2, "late July 2023", place=7, name=FENCE, gps=north(QUANHE, 3.9), phash=flip(H, 8)),
        # The same fence in the same month as the double fence: too close in time to pair with it.
        photo(3, "July 2023", place=7, name=FENCE, phash=flip(H, 40)),
        # Identical pictures of two places far apart: never a pair.
        photo(4, "2019", place=8, gps=seoul, phash=H),
        photo(5, "2023", place=9, gps=beijing, phash=H),
        # Two cameras 200 m apart in Hunchun, four years apart, less alike than the fences.
        photo(6, "2018-05-02", gps=hunchun, phash=H),
        photo(7, "2022-05-02", gps=north(hunchun, 0.2), phash=flip(H, 20)),
    ]


def test_the_fence_pair_ranks_first_among_distractors():
    found = rank(fence_and_distractors())
    assert ids(found) == [(1, 2), (6, 7), (1, 3)]
    fence = found[0]
    assert fence.distance == 8
    assert fence.km == pytest.approx(3.9, abs=1e-6)
    assert fence.reasons == [
        f"same shown place: {FENCE}",
        "cameras 3.9 km apart",
        "taken September 2019 and late July 2023: "
        "between 3 years 9 months and 3 years 11 months apart",
        "images alike: 8 of 64 hash bits differ",
    ]


def test_a_gps_only_pair_says_how_near_the_cameras_were():
    found = rank(fence_and_distractors())
    hunchun = next(s for s in found if s.before.photo_id == 6)
    assert hunchun.reasons == [
        "cameras 200 m apart",
        "taken 2018-05-02 and 2022-05-02: about 4 years apart",
        "images somewhat alike: 20 of 64 hash bits differ",
    ]


def test_a_same_place_pair_without_gps_has_no_camera_distance():
    found = rank(fence_and_distractors())
    third = next(s for s in found if s.after.photo_id == 3)
    assert third.km is None
    assert third.reasons[0] == f"same shown place: {FENCE}"
    assert not any(r.startswith("cameras") for r in third.reasons)
    assert third.reasons[-1] == "images look different: 40 of 64 hash bits differ"


# -- the rules --------------------------------------------------------------------------------


def test_the_minimum_gap_is_inclusive_to_the_second():
    end_2019 = parse_date("September 2019").end  # 2019-09-30 23:59:59
    before = photo(1, "September 2019", place=1)
    exactly = replace(photo(2, place=1), start=end_2019 + timedelta(days=180))
    exactly = replace(exactly, end=exactly.start, date_text="exactly 180 days on")
    one_second_short = replace(exactly, photo_id=3, start=exactly.start - timedelta(seconds=1))
    assert ids(rank([before, exactly, one_second_short], limit=None)) == [(1, 2)]
    assert ids(rank([before, exactly], min_gap_days=181)) == []
    assert ids(rank([before, one_second_short], min_gap_days=179)) == [(1, 3)]


def test_overlapping_ranges_are_never_suggested_even_with_no_gap():
    year = photo(1, "2019", place=1)
    inside = photo(2, "September 2019", place=1)
    assert rank([year, inside], min_gap_days=0) == []
    # Back to back: 2019 ends a second before 2020 starts, which is no overlap.
    assert ids(rank([photo(3, "2020", place=1), year], min_gap_days=0)) == [(1, 3)]
    # Touching at one instant is a gap of zero, still no overlap.
    after = replace(photo(4, "2021", place=1), start=year.end, end=year.end)
    assert ids(rank([year, after], min_gap_days=0)) == [(1, 4)]


def test_before_is_always_the_earlier_whatever_the_input_order():
    later, earlier = photo(1, "2023", place=1), photo(2, "2016", place=1)
    (found,) = rank([later, earlier])
    assert (found.before.photo_id, found.after.photo_id) == (2, 1)


def test_gps_within_the_distance_is_enough_and_beyond_it_is_not():
    a = photo(1, "2016", gps=QUANHE)
    b = photo(2, "2020", gps=north(QUANHE, 0.99))
    c = photo(3, "2023", gps=north(QUANHE, 2.5))  # 1.51 km from b, 2.5 km from a
    assert ids(rank([a, b, c], limit=None)) == [(1, 2)]
    assert sorted(ids(rank([a, b, c], within_km=2.0, limit=None))) == [(1, 2), (2, 3)]
    assert sorted(ids(rank([a, b, c], within_km=2.6, limit=None))) == [(1, 2), (1, 3), (2, 3)]


def test_different_places_or_no_place_without_near_gps_are_not_pairs():
    assert rank([photo(1, "2016", place=1), photo(2, "2020", place=2)]) == []
    assert rank([photo(1, "2016"), photo(2, "2020")]) == []
    assert rank([photo(1, "2016", place=1), photo(2, "2020", gps=QUANHE)]) == []


def test_excluded_pairs_are_skipped_in_either_order():
    photos = [photo(1, "2016", place=1), photo(2, "2020", place=1), photo(3, "2023", place=1)]
    assert len(rank(photos)) == 3
    left = rank(photos, exclude={frozenset((2, 1)), frozenset((3, 99)), frozenset((5,))})
    assert sorted(ids(left)) == [(1, 3), (2, 3)]
    assert rank(photos, exclude=[frozenset(p) for p in ((1, 2), (1, 3), (2, 3))]) == []


def test_gps_only_exclusions_are_skipped_too():
    a, b = photo(1, "2016", gps=QUANHE), photo(2, "2020", gps=north(QUANHE, 0.1))
    assert ids(rank([a, b])) == [(1, 2)]
    assert rank([a, b], exclude=[frozenset((1, 2))]) == []


def test_a_pair_met_both_by_place_and_by_gps_is_suggested_once():
    a = photo(1, "2016", place=1, gps=QUANHE, phash=H)
    b = photo(2, "2020", place=1, gps=north(QUANHE, 0.1), phash=H)
    (found,) = rank([a, b])
    assert found.reasons[:2] == ["same shown place: place 1", "cameras 100 m apart"]


# -- the order --------------------------------------------------------------------------------


def test_ties_prefer_same_place_then_nearer_cameras_then_newer_after_then_ids():
    far_east = (42.0, 131.0)
    photos = [
        # GPS only, 5 bits apart
        photo(1, "2016", gps=(10.0, 10.0), phash=H),
        photo(2, "2020", gps=north((10.0, 10.0), 0.1), phash=flip(H, 5)),
        # same place, cameras 2 km apart, 5 bits
        photo(3, "2016", place=3, gps=far_east, phash=H),
        photo(4, "2020", place=3, gps=north(far_east, 2), phash=flip(H, 5)),
        # same place, cameras 0.5 km apart, 5 bits
        photo(5, "2016", place=5, gps=(20.0, 20.0), phash=H),
        photo(6, "2020", place=5, gps=north((20.0, 20.0), 0.5), phash=flip(H, 5)),
        # same place, no GPS, 5 bits: after in 2021, then twice after in 2020 (ids decide)
        photo(7, "2016", place=7, phash=H),
        photo(8, "2021", place=7, phash=flip(H, 5)),
        photo(9, "2016", place=9, phash=H),
        photo(10, "2020", place=9, phash=flip(H, 5)),
        photo(11, "2016", place=11, phash=H),
        photo(12, "2020", place=11, phash=flip(H, 5)),
        # the most alike pair wins whatever else
        photo(13, "2016", gps=(30.0, 30.0), phash=H),
        photo(14, "2018", gps=north((30.0, 30.0), 0.9), phash=flip(H, 4)),
        # no hash: after every measured pair, however alike its other facts
        photo(15, "2016", place=15, gps=(40.0, 40.0)),
        photo(16, "2020", place=15, gps=(40.0, 40.0), phash=H),
    ]
    expected = [(13, 14), (5, 6), (3, 4), (7, 8), (9, 10), (11, 12), (1, 2), (15, 16)]
    assert ids(rank(photos)) == expected
    random.Random(5).shuffle(photos)
    assert ids(rank(photos)) == expected
    assert ids(rank(photos, limit=3)) == expected[:3]


def test_limit_zero_and_none():
    photos = fence_and_distractors()
    assert rank(photos, limit=0) == []
    assert len(rank(photos, limit=None)) == 3
    assert ids(rank(photos, limit=1)) == [(1, 2)]


@pytest.mark.parametrize(
    "settings_",
    [{"within_km": -1}, {"within_km": math.nan}, {"min_gap_days": -1}, {"limit": -2}],
)
def test_settings_that_cannot_be_meant_are_refused(settings_):
    with pytest.raises(SuggestError):
        rank([], **settings_)


# -- wording -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first, second, gap, words",
    [
        # The span as `pair show` words it: exact dates to the nearest month,
        # ranges as the least and the most it can be.
        ("September 2019", "late July 2023", 180, "between 3 years 9 months and 3 years 11 months"),
        ("2019-09-10", "2021-09-10", 180, "about 2 years"),
        ("2016-01-01", "2023-05-01", 180, "about 7 years 4 months"),
        ("2019-09-10", "2020-10-10", 180, "about 1 year 1 month"),
        ("2019-09-10", "2019-10-20", 30, "about 1 month"),
        ("2019-09-10", "2019-09-12", 1, "about 2 days"),
        ("2019-09-10 10:00", "2019-09-11 11:00", 1, "about 1 day"),
        ("2019", "2020", 0, "between less than a day and 2 years"),
    ],
)
def test_the_time_between_reads_as_pair_show_says_it(first, second, gap, words):
    (found,) = rank([photo(1, first, place=1), photo(2, second, place=1)], min_gap_days=gap)
    assert found.reasons[1] == f"taken {first} and {second}: {words} apart"
    assert words == span(parse_date(first), parse_date(second))


def test_a_place_without_a_name_and_a_photo_without_a_date_phrase_still_read():
    a = replace(photo(1, "2016-03-04", place=4), shown_place=None, date_text="")
    b = replace(photo(2, "2020-03-04", place=4), shown_place="  two\nlines ", date_text="x\ty")
    (found,) = rank([a, b])
    assert found.reasons[0] == "same shown place: place 4"
    assert found.reasons[1] == "taken 2016-03-04 and x y: about 4 years apart"
    assert found.reasons[2] == "likeness unknown: a photo has no image hash"


# -- hostile data ------------------------------------------------------------------------------


def test_missing_and_broken_data_never_crashes_and_is_read_as_unknown():
    odd = [
        photo(1, "2016", place=None, gps=None, phash=None),
        photo(2, "2020", gps=(91.0, 10.0), phash="not a hash"),  # latitude out of range
        photo(3, "2021", gps=(10.0, 180.5), phash="0x" + "0" * 14),  # longitude too
        photo(4, "2022", gps=(math.inf, 0.0), phash="1_00000000000000"),
        photo(5, "2023", gps=(math.nan, 0.0), phash=" " + "a" * 15),
        replace(photo(6, "2020"), lat="42.0", lon=None),  # type: ignore[arg-type]
        replace(photo(7, "2020", place=1), shown_place_id=True),  # a bool is no place id
        replace(photo(8, "2020"), start=None),  # type: ignore[arg-type]
        replace(photo(9, "2020"), photo_id="9"),  # type: ignore[arg-type]
    ]
    found, stats = rank_with_stats(odd, limit=None)
    assert found == []
    assert (stats.photos, stats.skipped) == (7, 2)


def test_bad_hashes_rank_as_missing_ones():
    a = photo(1, "2016", place=1, phash="zzzzzzzzzzzzzzzz")
    b = photo(2, "2020", place=1, phash=H)
    (found,) = rank([a, b])
    assert found.distance is None


def test_a_backwards_range_aware_time_and_repeated_id_are_read_sensibly():
    backwards = replace(
        photo(1, "2016", place=1), start=datetime(2016, 12, 31), end=datetime(2016, 1, 1)
    )
    aware = replace(
        photo(2, "2020", place=1),
        start=datetime(2020, 5, 1, 12, tzinfo=timezone(timedelta(hours=8))),
        end=datetime(2020, 5, 1, 12, tzinfo=timezone(timedelta(hours=8))),
    )
    repeat = replace(photo(2, "2016-12-01", place=1), file_name="second copy")
    found, stats = rank_with_stats([backwards, aware, repeat])
    assert ids(found) == [(1, 2)]
    assert stats.skipped == 1


def test_poles_and_the_antimeridian_are_near_where_they_are_near():
    east, west = (0.0, 179.9996), (0.0, -179.9996)  # about 89 m apart across ±180°
    assert distance_km(*east, *west) == pytest.approx(0.089, abs=0.001)
    assert ids(rank([photo(1, "2016", gps=east), photo(2, "2020", gps=west)])) == [(1, 2)]
    pole_a, pole_b = (89.9995, 0.0), (89.9995, 180.0)  # 111 m apart over the pole
    assert ids(rank([photo(1, "2016", gps=pole_a), photo(2, "2020", gps=pole_b)])) == [(1, 2)]
    south = (-90.0, 0.0), (-90.0, 123.0)  # the same point, whatever the longitude
    assert ids(rank([photo(1, "2016", gps=south[0]), photo(2, "2020", gps=south[1])])) == [(1, 2)]


@given(
    st.floats(-90, 90),
    st.floats(-180, 180),
    st.floats(-90, 90),
    st.floats(-180, 180),
)
def test_distance_agrees_with_the_gazetteer(lat1, lon1, lat2, lon2):
    assert distance_km(lat1, lon1, lat2, lon2) == pytest.approx(
        gazetteer_km(lat1, lon1, lat2, lon2), abs=1e-6
    )


# -- against brute force -----------------------------------------------------------------------


def _valid_gps(c: Candidate) -> bool:
    return (
        isinstance(c.lat, float)
        and isinstance(c.lon, float)
        and math.isfinite(c.lat)
        and math.isfinite(c.lon)
        and abs(c.lat) <= 90
        and abs(c.lon) <= 180
    )


def brute_force(photos, within_km, min_gap_days, exclude):
    """Every pair against the rules, with no cleverness; the full ranking key for each."""
    usable, seen = [], set()
    for c in photos:
        if c.photo_id not in seen:
            seen.add(c.photo_id)
            usable.append(c)
    usable.sort(key=lambda c: (c.start, c.end, c.photo_id))
    found = []
    for i, a in enumerate(usable):
        for b in usable[i + 1 :]:
            if b.start - a.end < timedelta(days=min_gap_days):
                continue
            if frozenset((a.photo_id, b.photo_id)) in exclude:
                continue
            same = a.shown_place_id is not None and a.shown_place_id == b.shown_place_id
            km = (
                distance_km(a.lat, a.lon, b.lat, b.lon) if _valid_gps(a) and _valid_gps(b) else None
            )
            if not same and (km is None or km > within_km):
                continue
            ha, hb = suggest_module.hash_int(a.phash), suggest_module.hash_int(b.phash)
            d = None if ha is None or hb is None else (ha ^ hb).bit_count()
            key = (
                65 if d is None else d,
                not same,
                math.inf if km is None else km,
                -(b.start - datetime.min),
                a.photo_id,
                b.photo_id,
            )
            found.append((key, a.photo_id, b.photo_id))
    return [(a, b) for _, a, b in sorted(found)]


# Anchors where a grid is most likely to go wrong: the antimeridian, both poles,
# the equator at 0°, and the border country itself; offsets of up to ~2 km put
# pairs on both sides of the cells' borders and of `within_km`.
ANCHORS = [QUANHE, (0.0, 180.0), (0.0, -179.999), (89.999, 45.0), (-89.9995, -120.0), (0.0, 0.0)]


@st.composite
def gps(draw):
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return None
    if kind == 1:
        return draw(st.sampled_from([(91.0, 0.0), (0.0, 181.0), (math.nan, 1.0), (1.0, math.inf)]))
    lat, lon = draw(st.sampled_from(ANCHORS))
    return lat + draw(st.floats(-0.02, 0.02)), lon + draw(st.floats(-0.02, 0.02))


@st.composite
def candidates(draw):
    pid = draw(st.integers(1, 30))
    # Whole days on a coarse grid and durations of whole days: many exact gap boundaries.
    start = datetime(2016, 1, 1) + timedelta(days=10 * draw(st.integers(0, 300)))
    start += draw(st.sampled_from([timedelta(0), timedelta(seconds=1), timedelta(hours=13)]))
    end = start + timedelta(days=draw(st.sampled_from([0, 0, 10, 30, 90, 365])))
    place = draw(st.sampled_from([None, None, 1, 2, 3]))
    position = draw(gps())
    phash = draw(
        st.one_of(
            st.none(),
            st.integers(0, 2**64 - 1).map(lambda v: f"{v:016x}"),
            st.sampled_from(["", "nothex", H, flip(H, 3)]),
        )
    )
    return Candidate(
        photo_id=pid,
        file_name=f"IMG_{pid}.jpg",
        start=start,
        end=end,
        date_text=f"{start:%Y-%m-%d}",
        shown_place_id=place,
        shown_place=None if place is None else f"place {place}",
        lat=None if position is None else position[0],
        lon=None if position is None else position[1],
        phash=phash,
    )


CASES = settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@CASES
@given(
    st.lists(candidates(), max_size=30),
    st.sampled_from([0.0, 0.3, 1.0, 2.0, 5.0]),
    st.sampled_from([0, 10, 30, 180, 365]),
    st.sets(st.frozensets(st.integers(1, 30), min_size=2, max_size=2), max_size=6),
)
def test_rank_finds_exactly_what_brute_force_finds_in_the_same_order(photos, km, gap, exclude):
    expected = brute_force(photos, km, gap, exclude)
    found = rank(photos, within_km=km, min_gap_days=gap, exclude=exclude, limit=None)
    assert ids(found) == expected
    top, stats = rank_with_stats(photos, within_km=km, min_gap_days=gap, exclude=exclude, limit=5)
    assert ids(top) == expected[:5]
    assert stats.candidates == len(expected)  # counted, even when not worth keeping


@CASES
@given(st.lists(candidates(), max_size=30), st.sampled_from([0.3, 1.0, 2.0]))
def test_every_suggestion_keeps_the_rules(photos, km):
    found = rank(photos, within_km=km, limit=None)
    pairs = ids(found)
    assert len(set(map(frozenset, pairs))) == len(pairs)  # each pair once, either way round
    for s in found:
        a, b = s.before, s.after
        assert b.start - a.end >= timedelta(days=180)  # also: before is the earlier
        same = a.shown_place_id is not None and a.shown_place_id == b.shown_place_id
        assert same or (s.km is not None and s.km <= km)
        assert (s.km is not None) == (_valid_gps(a) and _valid_gps(b))
        assert any(r.startswith("taken ") for r in s.reasons)
        assert any("hash" in r for r in s.reasons)
        assert same == any(r.startswith("same shown place") for r in s.reasons)
    measured = [s.distance for s in found if s.distance is not None]
    assert measured == sorted(measured)
    assert [s.distance is None for s in found] == sorted(s.distance is None for s in found)


@CASES
@given(st.lists(candidates(), max_size=30, unique_by=lambda c: c.photo_id), st.randoms())
def test_the_order_of_the_input_does_not_matter(photos, rnd):
    shuffled = photos[:]
    rnd.shuffle(shuffled)
    assert ids(rank(photos, limit=None)) == ids(rank(shuffled, limit=None))


# -- it does not compare every pair; it stays headless ------------------------------------------


def test_photos_far_apart_are_not_compared_pairwise():
    rnd = random.Random(3)
    photos = [
        photo(i, f"{rnd.randint(2015, 2025)}", gps=(rnd.uniform(-80, 80), rnd.uniform(-180, 180)))
        for i in range(1, 3001)
    ]
    _, stats = rank_with_stats(photos)
    assert stats.photos == 3000
    assert stats.examined < 3000  # all pairs would be 4.5 million


def test_the_time_order_prunes_a_crowded_place():
    # One place photographed every day of 2019 and once in 2023: only the 2023 photo is far enough.
    first = photo(1, "2019-01-01", place=1)
    days = [
        replace(
            first, photo_id=i + 1, start=first.start + timedelta(i), end=first.end + timedelta(i)
        )
        for i in range(300)
    ]
    found, stats = rank_with_stats([*days, photo(999, "2023", place=1)], limit=None)
    # Day i ends at 23:59:59, so day j is 180 days on only from j = i + 181.
    assert len(found) == 300 + sum(1 for i in range(300) for j in range(i + 181, 300))
    assert stats.examined == len(found)


FORBIDDEN = ("click", "rich", "textual", "sqlite3", "sqlite_utils", "photodesk.catalog")


def test_the_suggester_imports_no_shell_no_sql_and_not_the_catalog():
    tree = ast.parse(Path(suggest_module.__file__).read_text())
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert names, "the walk found the imports"
    bad = [m for m in names if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)]
    assert bad == []
    ours = {m for m in names if m.startswith("photodesk")}
    assert ours <= {
        "photodesk.phash",
        "photodesk.dates",
        "photodesk.errors",
        "photodesk.pairs.timing",
    }


def test_keep_limits_suggestions_to_pairs_touching_those_photos():
    from datetime import datetime

    from photodesk.pairs.suggest import Candidate, rank

    def photo(pid: int, year: int) -> Candidate:
        when = datetime(year, 7, 1)
        return Candidate(pid, f"{pid}.jpg", when, when, str(year), 1, "Fence", None, None, None)

    photos = [photo(1, 2015), photo(2, 2019), photo(3, 2023)]
    everything = {(s.before.photo_id, s.after.photo_id) for s in rank(photos, limit=None)}
    assert everything == {(1, 2), (1, 3), (2, 3)}
    kept = {(s.before.photo_id, s.after.photo_id) for s in rank(photos, limit=None, keep={3})}
    assert kept == {(1, 3), (2, 3)}
    assert [(s.before.photo_id, s.after.photo_id) for s in rank(photos, limit=1, keep={1})] in (
        [(1, 2)],
        [(1, 3)],
    )
