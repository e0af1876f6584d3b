"""The `photodesk` command: each subcommand parses options, calls the core, prints.

No logic lives here beyond turning core errors into one-line messages and
core results into text or JSON. Commands live in modules by subject and
register themselves on `main`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from photodesk.catalog import Catalog, describe_sqlite_error
from photodesk.config import ENV_VAR, Archive
from photodesk.dates import DateParseError, parse_bound
from photodesk.errors import PhotodeskError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--archive",
    "archive_dir",
    type=click.Path(file_okay=False),
    help=f"Archive folder (default: ${ENV_VAR}, else ./archive).",
)
@click.version_option(package_name="photodesk")
@click.pass_context
def main(ctx: click.Context, archive_dir: str | None) -> None:
    """photodesk: a photo archive and caption manager for a photo desk."""
    ctx.obj = Archive.locate(archive_dir)


@contextmanager
def open_catalog(ctx: click.Context, create: bool = False) -> Iterator[Catalog]:
    try:
        catalog = Catalog.open(ctx.obj, create=create)
    except PhotodeskError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield catalog
    except PhotodeskError as exc:
        raise click.ClickException(str(exc)) from exc
    except sqlite3.Error as exc:  # e.g. another process held the catalog past the busy timeout
        raise click.ClickException(describe_sqlite_error(exc, ctx.obj.db_path)) from exc
    finally:
        catalog.close()


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


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


def id_list(value: str) -> list[int]:
    """`3,4,9` or `3-6,9` as photo ids."""
    ids: list[int] = []
    for part in value.replace(" ", "").split(","):
        if not part:
            continue
        lo, sep, hi = part.partition("-")
        if not lo.isdigit() or (sep and not hi.isdigit()):
            raise click.BadParameter(f"{part!r} is not an id or a range like 3-6")
        first, last = int(lo), int(hi) if sep else int(lo)
        if not 1 <= first <= last < 2**63 or last - first >= MAX_IDS:
            raise click.BadParameter(f"{part!r} is not a usable id or range")
        ids.extend(range(first, last + 1))
    if not ids:
        raise click.BadParameter("no ids given")
    return list(dict.fromkeys(ids))


from photodesk.cli import captioning, library, places, stories  # noqa: E402, F401  (registers commands)
