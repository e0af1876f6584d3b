"""Option types and parsers the commands share, and the caption fields as options."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

from photodesk.catalog import Catalog, stories
from photodesk.catalog.photos import PhotoFilter
from photodesk.dates import DateParseError, parse_bound
from photodesk.fields import FIELDS, KINDS, STATUSES
from photodesk.language import LanguageError, explain_lang, normalize_lang

F = TypeVar("F", bound=Callable[..., Any])
P = TypeVar("P", bound=PhotoFilter)

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
        if 1 <= last < first < 2**63:
            raise click.BadParameter(
                f"{_shown_part(part)} runs backwards; write the smaller id first: {last}-{first}"
            )
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
                help=(field.help or f"{field.label}.")
                + (NAME_OR_ID if field.type == "place" else ""),
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
    return click.option(
        "--story", metavar="NAME", help="A story's photos, in its order." + NAME_OR_ID
    )(f)


# Stories and places are named loosely (any case, a hyphen for a dash, the start
# of a name when only one has it) or by id: every option that takes one says so.
NAME_OR_ID = " A name (or its start) or an id."


class _Language(click.ParamType):
    """A caption language tag, checked and normalised; a changed tag is said on stderr."""

    name = "lang"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return _language(value, param, ctx, self)


class _Languages(click.ParamType):
    """One or more caption language tags, comma-separated: en,ko."""

    name = "langs"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, list):
            return value
        tags = [_language(v, param, ctx, self) for v in str(value).split(",") if v.strip()]
        if not tags:
            self.fail("give at least one language tag, such as en or en,ko", param, ctx)
        return list(dict.fromkeys(tags))


def _language(
    value: str, param: click.Parameter | None, ctx: click.Context | None, kind: click.ParamType
) -> str:
    try:
        tag, note = normalize_lang(value), explain_lang(value)
    except LanguageError as exc:
        kind.fail(str(exc), param, ctx)
    if note:
        click.echo(f"note: {note}", err=True)
    return tag


LANGUAGE = _Language()
LANGUAGES = _Languages()


def _missing_names() -> dict[str, str]:
    """What --missing takes, from the field table: each field by its name and by its option."""
    names: dict[str, str] = {}
    for field in FIELDS:
        if field.scope == "place" or field.type == "choice":
            continue
        names[field.name.replace("_", "-")] = field.name
        if field.cli:
            names[field.cli.lstrip("-")] = field.name
    return names


MISSING = _missing_names()


class _FieldList(click.ParamType):
    """Field names, comma-separated, as --missing takes them: headline,caption,credit."""

    name = "fields"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        words = [w.strip().lower() for w in str(value).split(",") if w.strip()]
        unknown = [w for w in words if w not in MISSING]
        if unknown or not words:
            self.fail(
                f"{unknown[0] if unknown else value!r} is not a field; use some of: "
                + ", ".join(sorted(MISSING)),
                param,
                ctx,
            )
        return tuple(dict.fromkeys(MISSING[w] for w in words))


FIELD_LIST = _FieldList()


def filter_options(limit: int | None) -> Callable[[F], F]:
    """The filters `list` and `search` share, so both take the same words the same way.

    `limit` is the command's default (None: every photo).
    """

    def decorate(f: F) -> F:
        for option in reversed(
            [
                click.option(
                    "--story", metavar="NAME", help="Only photos in this story." + NAME_OR_ID
                ),
                click.option("--since", help="Photos whose date range reaches this date or later."),
                click.option(
                    "--until", help="Photos whose date range starts on or before this date."
                ),
                click.option("--kind", type=click.Choice(KINDS), help="Only photos of this kind."),
                click.option(
                    "--status", type=click.Choice(STATUSES), help="Only photos at this status."
                ),
                click.option(
                    "--missing",
                    type=click.Choice(sorted(MISSING), case_sensitive=False),
                    multiple=True,
                    help="Only photos with nothing in this field (per-language ones in --lang); "
                    "repeat for several.",
                ),
                click.option("--uncaptioned", is_flag=True, help="Only photos without a caption."),
                click.option(
                    "--limit",
                    type=click.IntRange(1, 1_000_000),
                    default=limit,
                    show_default=limit is not None,
                    help="At most this many photos.",
                ),
                click.option(
                    "--offset",
                    type=click.IntRange(0, 2**62),
                    default=0,
                    help="Skip this many first (the next page: --offset 50).",
                ),
            ]
        ):
            f = option(f)
        return f

    return decorate


FILTER_OPTIONS = (
    "story",
    "since",
    "until",
    "kind",
    "status",
    "missing",
    "uncaptioned",
    "limit",
    "offset",
)


def make_filter(values: dict[str, Any], cls: type[P]) -> P:
    """The filter the shared options describe; dates are read now, before any catalog opens."""
    since, until = values.get("since"), values.get("until")
    return cls(
        since=date_bound(since, end=False),
        until=date_bound(until, end=True, since=since),
        kind=values.get("kind"),
        status=values.get("status"),
        missing=tuple(dict.fromkeys(MISSING[m.lower()] for m in values.get("missing") or ())),
        limit=values.get("limit"),
        offset=values.get("offset") or 0,
    )


def resolve_filter(catalog: Catalog, flt: P, values: dict[str, Any], lang: str) -> P:
    """The filter's story found by name or id, and its per-language tests set to `lang`."""
    if values.get("story"):
        flt.story_id = stories.require(catalog.db, values["story"])
    flt.uncaptioned_lang = lang if values.get("uncaptioned") else None
    flt.missing_in = lang
    return flt


def filtering(values: dict[str, Any]) -> bool:
    """Whether any of the shared filters narrows the photos (limit and offset do not)."""
    return any(values.get(k) for k in FILTER_OPTIONS if k not in ("limit", "offset"))
