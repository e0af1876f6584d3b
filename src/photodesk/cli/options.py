"""Option types and parsers the commands share, and the caption fields as options."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

from photodesk.dates import DateParseError, parse_bound
from photodesk.fields import FIELDS

F = TypeVar("F", bound=Callable[..., Any])

# SQLite integers are 64-bit; a larger id is a typo, and a usage error, not a crash.
PHOTO_ID = click.IntRange(1, 2**63 - 1)
MAX_IDS = 100_000


def date_bound(value: str | None, end: bool, since: str | None = None) -> str | None:
    """A --since/--until option as an ISO bound; a bad phrase is a usage error.

    Give the --until bound its --since too, so a backwards range is refused
    rather than silently matching nothing.
    """
    if value is None:
        return None
    try:
        bound = parse_bound(value, end=end)
        if end and since is not None and parse_bound(since) > bound:
            raise click.BadParameter(f"{value!r} is before --since {since!r}", param_hint="--until")
    except DateParseError as exc:
        raise click.BadParameter(str(exc), param_hint="--until" if end else "--since") from exc
    return bound.isoformat(timespec="seconds")


# One id or a range, in ASCII digits: int() takes other scripts' digits and
# refuses some that str.isdigit() accepts (²), and 19 digits hold any SQLite id.
_ID_PART = re.compile(r"([0-9]{1,19})(?:-([0-9]{1,19}))?")


def _shown_part(part: str) -> str:
    return repr(part[:30]) + ("…" if len(part) > 30 else "")


def id_list(value: str) -> list[int]:
    """`3,4,9` or `3-6,9` as photo ids, at most MAX_IDS of them.

    The ranges are sized before any is expanded, so `1-99999999999` costs
    nothing and a long list of ranges cannot add up to more than MAX_IDS.
    """
    spans: list[tuple[int, int]] = []
    total = 0
    for part in value.replace(" ", "").split(","):
        if not part:
            continue
        found = _ID_PART.fullmatch(part)
        if found is None:
            raise click.BadParameter(f"{_shown_part(part)} is not an id or a range like 3-6")
        first = int(found.group(1))
        last = int(found.group(2)) if found.group(2) else first
        if not 1 <= first <= last < 2**63:
            raise click.BadParameter(f"{_shown_part(part)} is not a usable id or range")
        total += last - first + 1
        if total > MAX_IDS:
            raise click.BadParameter(f"more than {MAX_IDS:,} ids; give fewer at a time")
        spans.append((first, last))
    if not spans:
        raise click.BadParameter("no ids given")
    return list(dict.fromkeys(i for first, last in spans for i in range(first, last + 1)))


def field_options(scopes: tuple[str, ...]) -> Callable[[F], F]:
    """One option per field of these scopes, named and explained by the field table.

    Each option's value arrives under the field's name; list fields are split
    on commas.
    """

    def split(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
        return None if value is None else value.split(",")

    def decorate(f: F) -> F:
        for field in reversed([x for x in FIELDS if x.cli and x.scope in scopes]):
            f = click.option(
                field.cli,
                field.name,
                help=field.help or f"{field.label}.",
                type=click.Choice(field.choices) if field.type == "choice" else None,
                callback=split if field.type == "list" else None,
            )(f)
        return f

    return decorate


class _Kilometres(click.ParamType):
    name = "km"

    def convert(self, value, param, ctx):
        try:
            km = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a distance in kilometres", param, ctx)
        if not 0 < km <= 20_040:  # NaN fails this too; 20,040 km is half the globe
            self.fail(f"{value!r} is not a distance between 0 and 20040 km", param, ctx)
        return km


KILOMETRES = _Kilometres()


def selection_options(f: F) -> F:
    """--story, --ids and --search: which photos an export is for (exactly one of them)."""
    f = click.option("--search", "query", metavar="QUERY", help="The photos matching a search.")(f)
    f = click.option(
        "--ids",
        callback=lambda _c, _p, v: None if v is None else id_list(v),
        metavar="IDS",
        help="Photo ids, in this order: 3,4,9 or 3-6,9.",
    )(f)
    return click.option("--story", metavar="NAME", help="A story's photos, in its order.")(f)
