"""When the two photos of a pair were taken: the order rule, and the span in honest words.

Dates are ranges ("September 2019" is the whole month). Exact dates give
"about 3 years 10 months"; ranges give the least and the most the span can be
("between 3 years 9 months and 3 years 11 months"), never a false precision.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from photodesk.dates import TakenDate, format_date
from photodesk.errors import PhotodeskError

EXACT = ("second", "minute", "day")  # precisions that name one day or moment


class OrderError(PhotodeskError):
    pass


def check_order(before: TakenDate | None, after: TakenDate | None) -> list[str]:
    """Refuse a before that is later than its after; warn where the order is uncertain."""
    if before is None or after is None:
        which = "before" if before is None else "after"
        return [f"the {which} photo has no date, so the order cannot be checked"]
    if before.start > after.end:
        raise OrderError(
            f"the before photo ({format_date(before)}) is later than the after photo "
            f"({format_date(after)})"
        )
    if before.end > after.start:
        return [
            f"the dates overlap ({format_date(before)} and {format_date(after)}): "
            "the order cannot be told from them"
        ]
    return []


def _add_months(moment: datetime, months: int) -> datetime:
    year, month = divmod(moment.month - 1 + months, 12)
    year, month = moment.year + year, month + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _months(start: datetime, end: datetime) -> tuple[int, timedelta, timedelta]:
    """Whole calendar months from start to end, what is left over, and the next month's length."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if _add_months(start, months) > end:
        months -= 1
    base = _add_months(start, months)
    return months, end - base, _add_months(start, months + 1) - base


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _words(months: int, spare: timedelta) -> str:
    if months == 0:
        days = spare.days
        return "less than a day" if days == 0 else _plural(days, "day")
    years, rest = divmod(months, 12)
    parts = ([_plural(years, "year")] if years else []) + ([_plural(rest, "month")] if rest else [])
    return " ".join(parts)


def _round(start: datetime, end: datetime) -> str:
    months, spare, month_length = _months(start, end)
    if months and spare * 2 >= month_length:
        months, spare = months + 1, timedelta(0)
    return _words(months, spare if months == 0 else timedelta(0))


def _floor(start: datetime, end: datetime) -> str:
    months, spare, _ = _months(start, end)
    return _words(months, spare if months == 0 else timedelta(0))


def _ceil(start: datetime, end: datetime) -> str:
    months, spare, _ = _months(start, end)
    if months == 0:  # a part of a day counts as a whole one: the most it can be
        return _words(0, spare + timedelta(days=1) if spare % timedelta(days=1) else spare)
    return _words(months + (1 if spare else 0), timedelta(0))


def span(before: TakenDate | None, after: TakenDate | None) -> str:
    """How far apart the two photos were taken, as precisely as their dates allow."""
    if before is None or after is None:
        return "unknown: a photo has no date"
    exact = before.precision in EXACT and after.precision in EXACT
    return span_between((before.start, before.end), (after.start, after.end), exact)


def span_between(
    before: tuple[datetime, datetime], after: tuple[datetime, datetime], exact: bool
) -> str:
    """The span between two date ranges (start, end); `exact` when both are clock dates."""
    if exact:
        return _about(_round(*sorted((before[0], after[0]))))
    least_start, least_end = before[1], after[0]
    least = "less than a day" if least_end <= least_start else _floor(least_start, least_end)
    most = _ceil(*sorted((before[0], after[1])))
    return _about(most) if least == most else f"between {least} and {most}"


def _about(words: str) -> str:
    return words if words == "less than a day" else f"about {words}"
