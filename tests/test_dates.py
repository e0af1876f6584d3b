from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from photodesk.dates import (
    ACCEPTED_FORMS,
    MAX_YEAR,
    MIN_YEAR,
    PRECISIONS,
    DateParseError,
    TakenDate,
    exif_date,
    format_date,
    parse_bound,
    parse_date,
)


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


# (phrase, start, end, precision)
ACCEPTED = [
    ("2023-07-28", "2023-07-28T00:00:00", "2023-07-28T23:59:59", "day"),
    ("2023-07-28 14:05", "2023-07-28T14:05:00", "2023-07-28T14:05:59", "minute"),
    ("2023-07-28T14:05", "2023-07-28T14:05:00", "2023-07-28T14:05:59", "minute"),
    ("2023-07-28t14:05", "2023-07-28T14:05:00", "2023-07-28T14:05:59", "minute"),
    ("2023-07-28 14:05:09", "2023-07-28T14:05:09", "2023-07-28T14:05:09", "second"),
    ("2023-07-28T00:00:00", "2023-07-28T00:00:00", "2023-07-28T00:00:00", "second"),
    ("28 July 2023", "2023-07-28T00:00:00", "2023-07-28T23:59:59", "day"),
    ("28 Jul 2023", "2023-07-28T00:00:00", "2023-07-28T23:59:59", "day"),
    ("3 Sept. 2023", "2023-09-03T00:00:00", "2023-09-03T23:59:59", "day"),
    ("July 28, 2023", "2023-07-28T00:00:00", "2023-07-28T23:59:59", "day"),
    ("jul. 28 2023", "2023-07-28T00:00:00", "2023-07-28T23:59:59", "day"),
    ("July 2023", "2023-07-01T00:00:00", "2023-07-31T23:59:59", "month"),
    ("SEP 2023", "2023-09-01T00:00:00", "2023-09-30T23:59:59", "month"),
    ("Sept 2023", "2023-09-01T00:00:00", "2023-09-30T23:59:59", "month"),
    ("2023-07", "2023-07-01T00:00:00", "2023-07-31T23:59:59", "month"),
    ("2023-04", "2023-04-01T00:00:00", "2023-04-30T23:59:59", "month"),
    ("early July 2023", "2023-07-01T00:00:00", "2023-07-10T23:59:59", "part-month"),
    ("mid July 2023", "2023-07-11T00:00:00", "2023-07-20T23:59:59", "part-month"),
    ("mid-July 2023", "2023-07-11T00:00:00", "2023-07-20T23:59:59", "part-month"),
    ("late July 2023", "2023-07-21T00:00:00", "2023-07-31T23:59:59", "part-month"),
    ("late Sep. 2023", "2023-09-21T00:00:00", "2023-09-30T23:59:59", "part-month"),
    ("spring 2023", "2023-03-01T00:00:00", "2023-05-31T23:59:59", "season"),
    ("summer 2023", "2023-06-01T00:00:00", "2023-08-31T23:59:59", "season"),
    ("autumn 2023", "2023-09-01T00:00:00", "2023-11-30T23:59:59", "season"),
    ("fall 2023", "2023-09-01T00:00:00", "2023-11-30T23:59:59", "season"),
    ("winter 2023", "2023-12-01T00:00:00", "2024-02-29T23:59:59", "season"),
    ("2023", "2023-01-01T00:00:00", "2023-12-31T23:59:59", "year"),
    ("circa 2019", "2018-01-01T00:00:00", "2020-12-31T23:59:59", "circa"),
    ("c. 2019", "2018-01-01T00:00:00", "2020-12-31T23:59:59", "circa"),
    ("c 2019", "2018-01-01T00:00:00", "2020-12-31T23:59:59", "circa"),
    ("ca. 2019", "2018-01-01T00:00:00", "2020-12-31T23:59:59", "circa"),
    ("about 2019", "2018-01-01T00:00:00", "2020-12-31T23:59:59", "circa"),
    ("2019-2023", "2019-01-01T00:00:00", "2023-12-31T23:59:59", "range"),
    ("2019–2023", "2019-01-01T00:00:00", "2023-12-31T23:59:59", "range"),
    ("2019 to 2023", "2019-01-01T00:00:00", "2023-12-31T23:59:59", "range"),
    ("2019-2019", "2019-01-01T00:00:00", "2019-12-31T23:59:59", "range"),
    # Case and surrounding or doubled whitespace do not matter.
    ("  EARLY   july 2023\n", "2023-07-01T00:00:00", "2023-07-10T23:59:59", "part-month"),
    ("Summer 2023", "2023-06-01T00:00:00", "2023-08-31T23:59:59", "season"),
    ("CIRCA 1826", "1825-01-01T00:00:00", "1827-12-31T23:59:59", "circa"),
    ("2100", "2100-01-01T00:00:00", "2100-12-31T23:59:59", "year"),
]


@pytest.mark.parametrize(("text", "start", "end", "precision"), ACCEPTED)
def test_accepted_forms(text, start, end, precision):
    td = parse_date(text)
    assert (td.start_iso, td.end_iso, td.precision) == (start, end, precision)
    assert td.start == dt(start) and td.end == dt(end)
    assert td.text == " ".join(text.split())
    assert td.offset is None


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("2023-07-28", "2023-07-28"),
        ("2023-07-28T14:05", "2023-07-28 14:05"),
        ("2023-07-28 14:05:09", "2023-07-28 14:05:09"),
        ("28 jul. 2023", "2023-07-28"),
        ("2023-07", "July 2023"),
        ("mid-jul 2023", "mid July 2023"),
        ("late July 2023", "late July 2023"),
        ("fall 2023", "autumn 2023"),
        ("WINTER 2023", "winter 2023"),
        ("2023", "2023"),
        ("c. 2019", "circa 2019"),
        ("2019 to 2023", "2019–2023"),
    ],
)
def test_canonical_phrase(text, canonical):
    td = parse_date(text)
    assert str(td) == canonical == format_date(td)


@pytest.mark.parametrize("text", [row[0] for row in ACCEPTED])
def test_round_trip(text):
    first = parse_date(text)
    again = parse_date(str(first))
    assert (again.start, again.end, again.precision) == (first.start, first.end, first.precision)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("next tuesday", None),
        ("", None),
        ("   ", None),
        ("July", None),
        ("mid July", None),
        ("early 2023", None),
        ("winter", None),
        ("Jully 2023", None),
        ("c2019", None),
        ("2023/07/28", None),
        ("23", None),
        ("07/08/2023", "ambiguous"),
        ("7.8.23", "ambiguous"),
        ("28-07-2023", "ambiguous"),
        ("2023-02-30", "day is out of range"),
        ("30 Feb 2023", "day is out of range"),
        ("2023-13", "month must be in 1..12"),
        ("2023-00-10", "month must be in 1..12"),
        ("2023-07-28 24:00", "hour"),
        ("2023-07-28 14:60", "minute"),
        ("2023-07-28 14:05:60", "second"),
        ("2023-07-28 14:05 +15:00", "not a UTC offset"),
        ("1825", "outside 1826..2100"),
        ("2101", "outside 1826..2100"),
        ("circa 1800", "outside 1826..2100"),
        ("0000-00-00", "outside 1826..2100"),
        ("2023-2019", "2023 is after 2019"),
        ("2023 to 2019", "2023 is after 2019"),
    ],
)
def test_refusals(text, why):
    with pytest.raises(DateParseError) as caught:
        parse_date(text)
    message = str(caught.value)
    assert len(message.splitlines()) == 1
    assert f'cannot read "{" ".join(text.split())}" as a date' in message
    assert message.endswith(f"use one of: {ACCEPTED_FORMS}")
    if why:
        assert why in message


def test_refusal_message_matches_the_documented_shape():
    with pytest.raises(DateParseError) as caught:
        parse_date("next tuesday")
    assert str(caught.value) == (
        'cannot read "next tuesday" as a date; use one of: 2023-07-28, 2023-07-28 14:05, '
        "28 July 2023, July 2023, 2023-07, early/mid/late July 2023, summer 2023, 2023, "
        "circa 2019, 2019-2023, or in Korean or Japanese (2023년 7월 하순, 2023年7月下旬)"
    )


def test_refusal_escapes_awkward_characters_onto_one_line():
    with pytest.raises(DateParseError) as caught:
        parse_date('say "when"\u2028\x00then\\')
    message = str(caught.value)
    assert len(message.splitlines()) == 1
    assert r'"say \"when\" \x00then\\"' in message


def test_date_parse_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_date("soon")


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("2024-02-29", "2024-02-29T23:59:59"),
        ("2000-02-29", "2000-02-29T23:59:59"),
        ("February 2024", "2024-02-29T23:59:59"),
        ("February 2023", "2023-02-28T23:59:59"),
        ("February 1900", "1900-02-28T23:59:59"),
        ("late Feb 2024", "2024-02-29T23:59:59"),
        ("late Feb 2023", "2023-02-28T23:59:59"),
        ("winter 2023", "2024-02-29T23:59:59"),
        ("winter 2024", "2025-02-28T23:59:59"),
    ],
)
def test_leap_years(text, end):
    assert parse_date(text).end_iso == end


@pytest.mark.parametrize("text", ["2023-02-29", "1900-02-29", "29 February 2100"])
def test_leap_day_refused_in_common_years(text):
    with pytest.raises(DateParseError, match="day is out of range"):
        parse_date(text)


def test_winter_crosses_into_next_year():
    td = parse_date("winter 2023")
    assert td.start == datetime(2023, 12, 1)
    assert td.end == datetime(2024, 2, 29, 23, 59, 59)
    assert td.contains(datetime(2024, 1, 15, 12))
    assert not td.contains(datetime(2023, 11, 30, 23, 59, 59))
    assert str(td) == "winter 2023"


def test_winter_of_the_last_year_spills_past_it():
    assert parse_date("winter 2100").end == datetime(2101, 2, 28, 23, 59, 59)


def test_overlaps_with_since_until_bounds():
    late_july = parse_date("late July 2023")
    since = parse_bound("2023-07-25")
    assert late_july.overlaps(since, None)
    assert late_july.overlaps(since, parse_bound("2023-07-25", end=True))
    assert not parse_date("early July 2023").overlaps(since, None)
    assert parse_date("2023").overlaps(None, parse_bound("2023-01-01", end=True))
    assert not parse_date("2024").overlaps(None, parse_bound("2023", end=True))
    assert late_july.overlaps(None, None)


def test_overlap_bounds_are_inclusive():
    july = parse_date("July 2023")
    assert july.overlaps(dt("2023-07-31T23:59:59"), dt("2023-08-05T00:00:00"))
    assert not july.overlaps(dt("2023-08-01T00:00:00"), dt("2023-08-05T00:00:00"))
    assert july.overlaps(dt("2023-06-01T00:00:00"), dt("2023-07-01T00:00:00"))
    assert not july.overlaps(dt("2023-06-01T00:00:00"), dt("2023-06-30T23:59:59"))


def test_contains_is_inclusive_at_both_ends():
    minute = parse_date("2023-07-28 14:05")
    assert minute.contains(dt("2023-07-28T14:05:00"))
    assert minute.contains(dt("2023-07-28T14:05:59"))
    assert not minute.contains(dt("2023-07-28T14:06:00"))
    assert not minute.contains(dt("2023-07-28T14:04:59"))


def test_parse_bound():
    assert parse_bound("July 2023") == datetime(2023, 7, 1)
    assert parse_bound("July 2023", end=True) == datetime(2023, 7, 31, 23, 59, 59)
    assert parse_bound("circa 2019", end=True) == datetime(2020, 12, 31, 23, 59, 59)
    with pytest.raises(DateParseError):
        parse_bound("yesterday")


def test_takendate_rejects_inconsistent_values():
    with pytest.raises(ValueError, match="after"):
        TakenDate(datetime(2023, 2, 1), datetime(2023, 1, 1), "day", "x")
    with pytest.raises(ValueError, match="precision"):
        TakenDate(datetime(2023, 1, 1), datetime(2023, 1, 1), "fortnight", "x")


def test_time_with_offset_round_trips():
    td = parse_date("2023-07-28 14:05:09 +08:00")
    assert td.offset == "+08:00"
    assert td.start == td.end == datetime(2023, 7, 28, 14, 5, 9)  # wall clock, not shifted
    assert str(td) == "2023-07-28 14:05:09 +08:00"
    assert parse_date(str(td)) == td


# --- EXIF ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2023:07:28 14:05:09",
        "2023-07-28 14:05:09",
        "2023:07:28T14:05:09",
        "2023:07:28 14:05:09\x00",
        "2023:07:28 14:05:09   \x00\x00",
        " 2023:07:28 14:05:09 ",
    ],
)
def test_exif_date_reads_common_spellings(value):
    td = exif_date(value)
    assert td is not None
    assert td.start == td.end == datetime(2023, 7, 28, 14, 5, 9)
    assert td.precision == "second"
    assert td.offset is None
    assert td.text == "2023-07-28 14:05:09"


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "    ",
        "\x00" * 20,
        "0000:00:00 00:00:00",
        "    :  :     :  :  ",
        "2023:02:30 10:00:00",
        "2023:07:28 25:00:00",
        "2023:07:28",
        "2023:07-28 14:05:09",
        "1700:01:01 00:00:00",
        "28/07/2023 14:05:09",
        "garbage",
    ],
)
def test_exif_date_returns_none_for_unusable_values(value):
    assert exif_date(value) is None


@pytest.mark.parametrize(
    ("offset", "kept"),
    [
        ("+08:00", "+08:00"),
        ("-05:00", "-05:00"),
        ("+05:45\x00", "+05:45"),
        ("+0800", None),
        ("+8", None),
        ("   :  ", None),
        ("+15:00", None),
        ("", None),
        (None, None),
    ],
)
def test_exif_date_keeps_only_real_offsets(offset, kept):
    td = exif_date("2023:07:28 14:05:09", offset)
    assert td is not None
    assert td.offset == kept
    assert td.start == datetime(2023, 7, 28, 14, 5, 9)  # offset never shifts the wall clock


def test_exif_date_text_is_canonical_and_parses_back():
    td = exif_date("2023:07:28 14:05:09", "+08:00", subsec="123")
    assert td is not None
    assert td.text == str(td) == "2023-07-28 14:05:09 +08:00"
    assert td.start_iso == td.end_iso == "2023-07-28T14:05:09"
    again = parse_date(td.text)
    assert (again.start, again.end, again.precision, again.offset) == (
        td.start,
        td.end,
        td.precision,
        td.offset,
    )


# --- properties ---------------------------------------------------------------

MONTH_NAMES = (
    "January February March April May June July August September October November December"
)
MONTH_SPELLINGS = {
    n: [full, full[:3], full[:3] + "."] + (["Sept", "Sept."] if n == 9 else [])
    for n, full in enumerate(MONTH_NAMES.split(), 1)
}


@st.composite
def accepted_phrases(draw):
    d = draw(st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31)))
    t = draw(st.times()).replace(microsecond=0)
    name = draw(st.sampled_from(MONTH_SPELLINGS[d.month]))
    part = draw(st.sampled_from(["early", "mid", "late", "mid-"]))
    season = draw(st.sampled_from(["spring", "summer", "autumn", "fall", "winter"]))
    circa = draw(st.sampled_from(["circa ", "c. ", "c ", "ca. ", "about ", "c.", "ca "]))
    to_year = draw(st.integers(d.year, MAX_YEAR))
    dash = draw(st.sampled_from(["-", "–", " to ", " - "]))
    offset = draw(st.sampled_from(["", " +08:00", " -05:00", "+05:30"]))
    forms = [
        f"{d:%Y-%m-%d}",
        f"{d:%Y-%m-%d} {t:%H:%M}{offset}",
        f"{d:%Y-%m-%d}T{t:%H:%M:%S}{offset}",
        f"{d.day} {name} {d.year}",
        f"{name} {d.day}, {d.year}",
        f"{name} {d.year}",
        f"{d:%Y-%m}",
        f"{part}{'' if part.endswith('-') else ' '}{name} {d.year}",
        f"{season} {d.year}",
        f"{d.year}",
        f"{circa}{d.year}",
        f"{d.year}{dash}{to_year}",
    ]
    phrase = draw(st.sampled_from(forms))
    case = draw(st.sampled_from([str, str.lower, str.upper, str.title]))
    pad = draw(st.sampled_from(["", " ", "\t", "  \n"]))
    return pad + case(phrase) + pad


@given(accepted_phrases())
def test_property_parse_format_parse_is_stable(text):
    first = parse_date(text)
    again = parse_date(str(first))
    assert (again.start, again.end, again.precision, again.offset) == (
        first.start,
        first.end,
        first.precision,
        first.offset,
    )
    assert str(again) == str(first)
    assert first.start <= first.end


# Fragments of real forms, so glued-together candidates reach the handlers, not just the refusal.
TOKENS = ["2023", "07", "28", "14:05", ":09", "-", "–", "to", "July", "Sept.", "mid", "late"]
TOKENS += ["c.", "winter", "circa", "0000", "1825", "2101", "99", ",", "T", " ", "+08:00", "\x00"]

NEAR_MISSES = st.one_of(
    st.text(),
    st.text(alphabet="0123456789-–:/., Tt+"),
    st.lists(
        st.sampled_from(TOKENS),
        max_size=6,
    ).map("".join),
)


@given(NEAR_MISSES)
def test_property_parse_date_never_crashes(text):
    try:
        td = parse_date(text)
    except DateParseError as exc:
        message = str(exc)
        assert len(message.splitlines()) == 1
        assert message.startswith('cannot read "')
        assert ACCEPTED_FORMS in message
    else:
        assert td.start <= td.end
        assert td.precision in PRECISIONS


@given(st.one_of(st.text(), st.text(alphabet="0123456789:- T\x00+")), st.text())
def test_property_exif_date_never_crashes(value, offset):
    td = exif_date(value, offset)
    assert td is None or (td.start == td.end and td.precision == "second")
