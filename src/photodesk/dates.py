"""Honest photo dates: read what the desk writes and keep the uncertainty it carries.

A date is a closed interval of naive local wall-clock times plus the precision it was
written with, so "July 2023" stays a month rather than silently becoming 2023-07-01.
Every accepted form is a row in ``_FORMS``; anything else is refused, never guessed.
"""

from __future__ import annotations

import calendar
import dataclasses
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# The oldest surviving photograph is from 1826; later than 2100 is a typo, not a photo.
MIN_YEAR, MAX_YEAR = 1826, 2100

PRECISIONS = ("second", "minute", "day", "part-month", "month", "season", "year", "circa", "range")

ACCEPTED_FORMS = (
    "2023-07-28, 2023-07-28 14:05, 28 July 2023, July 2023, 2023-07, "
    "early/mid/late July 2023, summer 2023, 2023, circa 2019, 2019-2023, "
    "or in Korean or Japanese (2023년 7월 하순, 2023年7月下旬)"
)

# Hard-coded rather than calendar.month_name, which follows the process locale.
_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTHS = {name.lower(): n for n, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS |= {name[:3].lower(): n for n, name in enumerate(_MONTH_NAMES, 1)} | {"sept": 9}

# Meteorological northern-hemisphere seasons: three whole months from this one.
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_SEASON_NAMES = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}

_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, None)}  # None: end of month
_PART_NAMES = {first: part for part, (first, _) in _PARTS.items()}

_CLOCK_PRECISIONS = ("second", "minute")


# The catalog columns one date is kept in.
DATE_COLUMNS = (
    "taken_start",
    "taken_end",
    "taken_precision",
    "taken_text",
    "taken_source",  # exif / metadata / caption / manual
    "taken_offset",
)


class DateParseError(ValueError):
    """A date phrase that cannot be read without guessing."""


@dataclass(frozen=True)
class TakenDate:
    """When a photo was taken: an inclusive span of naive local wall-clock times."""

    start: datetime
    end: datetime
    precision: str
    text: str
    offset: str | None = None

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown precision {self.precision!r}")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("taken dates are naive local wall-clock times")
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")

    @property
    def start_iso(self) -> str:
        return self.start.isoformat(timespec="seconds")

    @property
    def end_iso(self) -> str:
        return self.end.isoformat(timespec="seconds")

    def overlaps(self, other_start: datetime | None, other_end: datetime | None) -> bool:
        """True if any moment of this date could fall in the span; None leaves that side open."""
        return (other_end is None or self.start <= other_end) and (
            other_start is None or other_start <= self.end
        )

    def contains(self, dt: datetime) -> bool:
        return self.start <= dt <= self.end

    def columns(self, source: str) -> dict[str, str | None]:
        """The catalog's taken_* columns for this date, saying where it came from."""
        values = (self.start_iso, self.end_iso, self.precision, self.text, source, self.offset)
        return dict(zip(DATE_COLUMNS, values, strict=True))

    def __str__(self) -> str:
        return format_date(self)


_Span = tuple[datetime, datetime, str]


def _year(digits: str) -> int:
    year = int(digits)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside {MIN_YEAR}..{MAX_YEAR}")
    return year


def _months(year: int, month: int, count: int = 1) -> tuple[datetime, datetime]:
    """From the first of year-month through the last second of `count` whole months."""
    start = datetime(year, month, 1)  # validates the month before any arithmetic
    end_year, end_month = divmod(month - 1 + count - 1, 12)
    end_year, end_month = year + end_year, end_month + 1
    last_day = calendar.monthrange(end_year, end_month)[1]
    return start, datetime(end_year, end_month, last_day, 23, 59, 59)


def _month_of(m: re.Match[str]) -> int:
    name = m.groupdict().get("name")
    return _MONTHS[name.lower()] if name else int(m["mo"])


def _day(m: re.Match[str]) -> _Span:
    start = datetime(_year(m["y"]), _month_of(m), int(m["d"]))
    return start, start.replace(hour=23, minute=59, second=59), "day"


def _clock(m: re.Match[str]) -> _Span:
    start = datetime(_year(m["y"]), int(m["mo"]), int(m["d"]), int(m["h"]), int(m["mi"]))
    if m["s"] is None:
        return start, start.replace(second=59), "minute"
    start = start.replace(second=int(m["s"]))
    return start, start, "second"


def _month(m: re.Match[str]) -> _Span:
    return *_months(_year(m["y"]), _month_of(m)), "month"


def _part_month(m: re.Match[str]) -> _Span:
    month_start, month_end = _months(_year(m["y"]), _month_of(m))
    first, last = _PARTS[m["part"].lower()]
    return (
        month_start.replace(day=first),
        month_end.replace(day=last or month_end.day),
        "part-month",
    )


def _season(m: re.Match[str]) -> _Span:
    return *_months(_year(m["y"]), _SEASONS[m["season"].lower()], 3), "season"


def _whole_year(m: re.Match[str]) -> _Span:
    return *_months(_year(m["y"]), 1, 12), "year"


def _circa(m: re.Match[str]) -> _Span:
    # The written year must be plausible; the year either side may spill past the limits.
    return *_months(_year(m["y"]) - 1, 1, 36), "circa"


def _year_range(m: re.Match[str]) -> _Span:
    first, last = _year(m["y"]), _year(m["y2"])
    if first > last:
        raise ValueError(f"{first} is after {last}")
    return *_months(first, 1, 12 * (last - first + 1)), "range"


_MONTH = r"(?P<name>{})\.?".format("|".join(sorted(_MONTHS, key=len, reverse=True)))
_ISO_DAY = r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
_TIME = r"[ T](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
_OFFSET = r"[+-](?P<oh>\d{2}):(?P<om>\d{2})"

# Matched against the phrase with its whitespace collapsed to single spaces.
_FORMS: list[tuple[str, Callable[[re.Match[str]], _Span]]] = [
    (_ISO_DAY, _day),
    (rf"{_ISO_DAY}{_TIME}(?: ?(?P<off>{_OFFSET}))?", _clock),
    (rf"(?P<d>\d{{1,2}}) {_MONTH},? (?P<y>\d{{4}})", _day),
    (rf"{_MONTH} (?P<d>\d{{1,2}}),? (?P<y>\d{{4}})", _day),
    (rf"{_MONTH} (?P<y>\d{{4}})", _month),
    (r"(?P<y>\d{4})-(?P<mo>\d{2})", _month),
    (rf"(?P<part>early|mid|late)[ -]{_MONTH} (?P<y>\d{{4}})", _part_month),
    (r"(?P<season>spring|summer|autumn|fall|winter) (?P<y>\d{4})", _season),
    (r"(?P<y>\d{4})", _whole_year),
    (r"(?:circa |about |ca?\. ?|ca? )(?P<y>\d{4})", _circa),
    (r"(?P<y>\d{4})(?: ?[-–] ?| to )(?P<y2>\d{4})", _year_range),
]
# ASCII: only 0-9 count as digits, and only ASCII letters fold case.
_FLAGS = re.IGNORECASE | re.ASCII
_COMPILED = [(re.compile(pattern, _FLAGS), handler) for pattern, handler in _FORMS]
_OFFSET_RE = re.compile(_OFFSET, re.ASCII)

# Shapes people do write but that cannot be read without guessing; named so the refusal helps.
_TRAPS = [
    (re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", _FLAGS), "day/month order is ambiguous"),
]


def _quote(text: str) -> str:
    escaped = (
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
        for ch in text.replace("\\", "\\\\").replace('"', '\\"')
    )
    return '"' + "".join(escaped) + '"'


def _refusal(phrase: str, reason: str | None = None) -> DateParseError:
    why = f" ({reason})" if reason else ""
    return DateParseError(
        f"cannot read {_quote(phrase)} as a date{why}; use one of: {ACCEPTED_FORMS}"
    )


def _is_offset(text: str) -> bool:
    # No real UTC offset exceeds 14 hours; anything larger is a corrupt field, not a zone.
    m = _OFFSET_RE.fullmatch(text)
    return m is not None and int(m["oh"]) <= 14 and int(m["om"]) <= 59


# Korean and Japanese write year, month and day with counters: 2023년 7월 하순,
# 2023年7月下旬, 2019년 9월, 2023年夏, 2019년경. Read as their English forms.
_CJK = re.compile(
    r"(?:(?P<y0>\d{4})\s*[-–~〜]\s*)?(?P<y>\d{4})\s*[년年]\s*"
    r"(?:(?P<mo>\d{1,2})\s*[월月]\s*"
    r"(?:(?P<d>\d{1,2})\s*[일日]|(?P<part>초순|중순|하순|上旬|中旬|下旬))?"
    r"|(?P<season>봄|여름|가을|겨울|春|夏|秋|冬)|(?P<circa>경|頃|ごろ))?"
)
_CJK_PARTS = {"초순": "early", "上旬": "early", "중순": "mid", "中旬": "mid"}
_CJK_PARTS |= {"하순": "late", "下旬": "late"}
_CJK_SEASONS = {"봄": "spring", "春": "spring", "여름": "summer", "夏": "summer"}
_CJK_SEASONS |= {"가을": "autumn", "秋": "autumn", "겨울": "winter", "冬": "winter"}


def _from_cjk(phrase: str) -> str | None:
    """The English form of a Korean or Japanese date phrase, or None if it is not one."""
    m = _CJK.fullmatch(unicodedata.normalize("NFKC", phrase))  # full-width digits too
    if m is None:
        return None
    year = m["y"]
    if m["y0"]:
        return f"{m['y0']}-{year}" if not (m["mo"] or m["season"] or m["circa"]) else None
    if m["circa"]:
        return f"circa {year}"
    if m["season"]:
        return f"{_CJK_SEASONS[m['season']]} {year}"
    if not m["mo"]:
        return year
    month = int(m["mo"])
    if not 1 <= month <= 12:
        return f"{year}-{month:02}"  # refused below with the calendar's reason
    name = _MONTH_NAMES[month - 1]
    if m["d"]:
        return f"{int(m['d'])} {name} {year}"
    if m["part"]:
        return f"{_CJK_PARTS[m['part']]} {name} {year}"
    return f"{name} {year}"


def parse_date(text: str) -> TakenDate:
    """Read a date phrase; raise DateParseError for anything not in ACCEPTED_FORMS.

    Korean and Japanese phrases (2023년 7월 하순, 2023年7月下旬) read as their
    English forms; the phrase is kept as written.
    """
    phrase = " ".join(text.split())  # also removes every kind of line break
    reading = _from_cjk(phrase) or phrase
    for pattern, handler in _COMPILED:
        m = pattern.fullmatch(reading)
        if m is None:
            continue
        try:
            start, end, precision = handler(m)
            offset = m.groupdict().get("off")
            if offset and not _is_offset(offset):
                raise ValueError(f"{offset} is not a UTC offset")
            return TakenDate(start, end, precision, phrase, offset)
        except ValueError as exc:  # impossible calendar values, years out of range
            raise _refusal(phrase, str(exc)) from None
    for pattern, reason in _TRAPS:
        if pattern.fullmatch(reading):
            raise _refusal(phrase, reason)
    raise _refusal(phrase)


_FORMATTERS: dict[str, Callable[[datetime, datetime], str]] = {
    "second": lambda s, e: f"{s:%Y-%m-%d %H:%M:%S}",
    "minute": lambda s, e: f"{s:%Y-%m-%d %H:%M}",
    "day": lambda s, e: f"{s:%Y-%m-%d}",
    "month": lambda s, e: f"{_MONTH_NAMES[s.month - 1]} {s.year}",
    "part-month": lambda s, e: f"{_PART_NAMES[s.day]} {_MONTH_NAMES[s.month - 1]} {s.year}",
    "season": lambda s, e: f"{_SEASON_NAMES[s.month]} {s.year}",
    "year": lambda s, e: f"{s.year}",
    "circa": lambda s, e: f"circa {s.year + 1}",
    "range": lambda s, e: f"{s.year}–{e.year}",
}


def format_date(td: TakenDate) -> str:
    """The canonical phrase for a date; parse_date reads it back to the same span."""
    phrase = _FORMATTERS[td.precision](td.start, td.end)
    if td.offset and td.precision in _CLOCK_PRECISIONS:
        phrase += f" {td.offset}"
    return phrase


_EXIF = re.compile(
    r"(?P<y>\d{4})([:-])(?P<mo>\d{2})\2(?P<d>\d{2})[ T](?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})",
    _FLAGS,
)
_EXIF_PADDING = " \t\r\n\x00"  # fixed-width EXIF fields arrive padded with NULs or spaces


def exif_date(
    value: str | None, offset: str | None = None, subsec: str | None = None
) -> TakenDate | None:
    """Read EXIF DateTimeOriginal (and OffsetTimeOriginal); None when it holds no real date.

    `subsec` is accepted so callers can pass SubSecTimeOriginal straight through, but the
    archive keeps whole seconds, so it does not change the result.
    """
    m = _EXIF.fullmatch((value or "").strip(_EXIF_PADDING))
    if m is None:
        return None
    try:
        # Year checks also reject the all-zero placeholder cameras write before the clock is set.
        start, _, _ = _clock(m)
    except ValueError:
        return None
    offset = (offset or "").strip(_EXIF_PADDING)
    td = TakenDate(start, start, "second", "", offset if _is_offset(offset) else None)
    return dataclasses.replace(td, text=format_date(td))


def parse_bound(text: str, end: bool = False) -> datetime:
    """A --since/--until bound: the first moment of the phrase, or its last when end=True."""
    td = parse_date(text)
    return td.end if end else td.start


# How a date reads in a caption or on a label, by language. English keeps the
# desk's own phrase; Korean and Japanese write year, month and day in order.
_PART_WORDS = {
    "ko": {"early": "초순", "mid": "중순", "late": "하순"},
    "ja": {"early": "上旬", "mid": "中旬", "late": "下旬"},
}
_SEASON_WORDS = {
    "ko": {3: "봄", 6: "여름", 9: "가을", 12: "겨울"},
    "ja": {3: "春", 6: "夏", 9: "秋", 12: "冬"},
}
_UNITS = {"ko": ("년", "월", "일"), "ja": ("年", "月", "日")}
_CIRCA = {"ko": "{}년경", "ja": "{}年頃"}


def from_columns(row: Mapping[str, Any]) -> TakenDate | None:
    """The date a catalog row holds (its taken_* columns), or None when it has none."""
    if not row.get("taken_start") or not row.get("taken_end"):
        return None
    return TakenDate(
        start=datetime.fromisoformat(row["taken_start"]),
        end=datetime.fromisoformat(row["taken_end"]),
        precision=row.get("taken_precision") or "range",
        text=row.get("taken_text") or "",
        offset=row.get("taken_offset"),
    )


def iso_prefix(td: TakenDate) -> str | None:
    """What IPTC's date created can honestly say: the day, month or year the span lies in.

    "late July 2023" → "2023-07", "2023" → "2023", "24 July 2023 10:02" → "2023-07-24";
    a span across two years → None (IPTC has no range).
    """
    s, e = td.start, td.end
    if s.date() == e.date():
        return s.strftime("%Y-%m-%d")
    if (s.year, s.month) == (e.year, e.month):
        return s.strftime("%Y-%m")
    if s.year == e.year:
        return f"{s.year:04}"
    return None


def enclosing(dates: list[TakenDate]) -> TakenDate:
    """The tightest date a desk would write that covers them all.

    24 and 27 July 2023 → "late July 2023"; 3 and 27 July → "July 2023";
    July and September 2019 → "2019"; 2019 and 2023 → "2019–2023".
    """
    if not dates:
        raise ValueError("no dates to enclose")
    s, e = min(d.start for d in dates), max(d.end for d in dates)
    month = f"{_MONTH_NAMES[s.month - 1]} {s.year}"
    if s.date() == e.date():
        return parse_date(f"{s.day} {month}")
    if (s.year, s.month) == (e.year, e.month):
        for part, (first, last) in _PARTS.items():
            if first <= s.day and e.day <= (last or 31):
                return parse_date(f"{part} {month}")
        return parse_date(month)
    if s.year == e.year:
        return parse_date(str(s.year))
    return parse_date(f"{s.year}–{e.year}")


def phrase(td: TakenDate, lang: str = "en") -> str:
    """The date as a reader would write it in `lang`, without clock times.

    "24 July 2023", "late July 2023", "September 2019" in English;
    "2023년 7월 하순", "2023年7月下旬" in Korean and Japanese. Other languages
    get the English phrase.
    """
    s, e, p = td.start, td.end, td.precision
    base = lang.split("-")[0]
    if base not in _UNITS:
        if p in ("second", "minute", "day"):
            return f"{s.day} {_MONTH_NAMES[s.month - 1]} {s.year}"
        return format_date(td)
    y, m, d = _UNITS[base]
    sep = " " if base == "ko" else ""
    year, month = f"{s.year}{y}", f"{s.month}{m}"
    if p in ("second", "minute", "day"):
        return sep.join([year, month, f"{s.day}{d}"])
    if p == "part-month":
        return sep.join([year, month, _PART_WORDS[base][_PART_NAMES[s.day]]])
    if p == "month":
        return sep.join([year, month])
    if p == "season":
        return sep.join([year, _SEASON_WORDS[base][s.month]])
    if p == "year":
        return year
    if p == "circa":
        return _CIRCA[base].format(s.year + 1)
    return f"{s.year}–{e.year}{y}"
