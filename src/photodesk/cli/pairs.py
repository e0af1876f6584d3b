"""Pair commands: pair BEFORE AFTER, list, show, caption, edit, swap, delete, suggest."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import click

from photodesk import pairs
from photodesk.catalog import pairs as pair_rows
from photodesk.catalog import stories
from photodesk.cli.archive import open_catalog
from photodesk.cli.options import KILOMETRES, PHOTO_ID
from photodesk.cli.output import emit_json, indented, warn
from photodesk.text import for_terminal

PAIR_ID = click.IntRange(1, 2**63 - 1)


class _PairGroup(click.Group):
    """`pair BEFORE AFTER` makes a pair; any other first word names a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0][:1].isdigit():
            args = ["create", *args]
        return super().parse_args(ctx, args)


@click.group("pair", cls=_PairGroup)
def pair_group() -> None:
    """Before/after pairs: `pair BEFORE AFTER` links two photos of one scene.

    The before photo must not be later than the after one. See also pair list,
    show, caption, edit, swap, delete and suggest.
    """


@pair_group.command("create")
@click.argument("before", type=PHOTO_ID)
@click.argument("after", type=PHOTO_ID)
@click.option("--subject", help='What both show: "Border fence near the Quanhe bridge".')
@click.option("--note", help="Where the camera stood, what to look for.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def pair_create(
    ctx: click.Context,
    before: int,
    after: int,
    subject: str | None,
    note: str | None,
    as_json: bool,
) -> None:
    """Pair BEFORE with AFTER (the same as: photodesk pair BEFORE AFTER)."""
    with open_catalog(ctx) as catalog:
        pair_id, warnings = pairs.create(catalog, before, after, subject, note)
        shown = pairs.view(catalog, pair_id)
    if as_json:
        emit_json({"id": pair_id, "span": shown.span, "warnings": warnings})
    else:
        apart = "" if shown.span.startswith("unknown") else f", {shown.span} apart"
        click.echo(f"pair {pair_id}: photo {before} before photo {after}{apart}")
    for warning in warnings:
        warn(warning)


@pair_group.command("list")
@click.option("--story", help="Only pairs with a photo in this story.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def pair_list(ctx: click.Context, story: str | None, as_json: bool) -> None:
    """Every pair, newest first: id, before, after, subject."""
    with open_catalog(ctx) as catalog:
        story_id = stories.require(catalog.db, story) if story else None
        rows = pair_rows.listing(catalog.db, story_id)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("no pairs yet (make one with: photodesk pair BEFORE AFTER, or see pair suggest)")
    for r in rows:
        line = (
            f"{r['id']:>4}  {r['before_id']} {r['before_file']} ({r['before_date'] or 'undated'})"
            f" → {r['after_id']} {r['after_file']} ({r['after_date'] or 'undated'})"
        )
        click.echo(for_terminal(line + (f"  {r['subject']}" if r["subject"] else ""), True))


def _view_dict(view: pairs.PairView) -> dict[str, Any]:
    return asdict(view) | {"caption": view.caption}


@pair_group.command("show")
@click.argument("pair_id", type=PAIR_ID)
@click.option("--lang", help="Caption language (default: the archive's).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def pair_show(ctx: click.Context, pair_id: int, lang: str | None, as_json: bool) -> None:
    """One pair: both photos with their dates, the span, and the pair caption."""
    with open_catalog(ctx) as catalog:
        view = pairs.view(catalog, pair_id, lang)
    if as_json:
        emit_json(_view_dict(view))
        return
    lines = [
        ("pair", str(view.id)),
        ("subject", view.subject),
        ("note", view.note),
        (
            "before",
            f"{view.before.photo_id} {view.before.file_name}, {view.before.date or 'undated'}",
        ),
        ("after", f"{view.after.photo_id} {view.after.file_name}, {view.after.date or 'undated'}"),
        ("span", view.span),
        (f"caption [{view.lang}]", view.edited),
        (f"composed [{view.lang}]", view.composed),
    ]
    for label, value in lines:
        if value:
            click.echo(f"{label:>16}  {indented(value)}")
    for problem in view.missing + view.warnings:
        warn(problem)


@pair_group.command("caption")
@click.argument("pair_id", type=PAIR_ID)
@click.option("--lang", help="Language of the caption (default: the archive's).")
@click.option("--text", required=True, help="The pair caption; '' goes back to the composed one.")
@click.pass_context
def pair_caption(ctx: click.Context, pair_id: int, lang: str | None, text: str) -> None:
    """Write the pair's own caption in one language, replacing the composed one."""
    with open_catalog(ctx) as catalog:
        tag, warnings = pairs.set_caption(catalog, pair_id, lang, text)
        shown = pairs.view(catalog, pair_id, tag)
    state = "the desk's own caption" if shown.edited else "the composed caption"
    click.echo(f"pair {pair_id} [{tag}]: {state}")
    for warning in warnings:
        warn(warning)


@pair_group.command("edit")
@click.argument("pair_id", type=PAIR_ID)
@click.option("--subject", help="What both show ('' clears).")
@click.option("--note", help="The viewpoint note ('' clears).")
@click.pass_context
def pair_edit(ctx: click.Context, pair_id: int, subject: str | None, note: str | None) -> None:
    """Change a pair's subject or note."""
    if subject is None and note is None:
        raise click.UsageError("give --subject or --note")
    with open_catalog(ctx) as catalog:
        warnings = pairs.edit(catalog, pair_id, subject, note)
    click.echo(f"pair {pair_id} updated")
    for warning in warnings:
        warn(warning)


@pair_group.command("swap")
@click.argument("pair_id", type=PAIR_ID)
@click.pass_context
def pair_swap(ctx: click.Context, pair_id: int) -> None:
    """Turn a pair round: before becomes after (refused if the dates say otherwise)."""
    with open_catalog(ctx) as catalog:
        warnings = pairs.swap(catalog, pair_id)
    click.echo(f"pair {pair_id} swapped")
    for warning in warnings:
        warn(warning)


@pair_group.command("delete")
@click.argument("pair_id", type=PAIR_ID)
@click.pass_context
def pair_delete(ctx: click.Context, pair_id: int) -> None:
    """Unpair two photos (the photos stay in the archive)."""
    with open_catalog(ctx) as catalog:
        if not pair_rows.delete(catalog.db, pair_id):
            raise click.ClickException(f"no pair with id {pair_id}")
    click.echo(f"pair {pair_id} deleted")


@pair_group.command("suggest")
@click.option("--story", help="Only suggestions with a photo in this story.")
@click.option(
    "--within",
    "within_km",
    type=KILOMETRES,
    default=1.0,
    show_default=True,
    help="Cameras this close (km) count as one viewpoint, whatever their shown place.",
)
@click.option(
    "--min-gap",
    "min_gap_days",
    type=click.IntRange(0, 100 * 366),
    default=180,
    show_default=True,
    help="Days that must lie between the two photos.",
)
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def pair_suggest(
    ctx: click.Context,
    story: str | None,
    within_km: float,
    min_gap_days: int,
    limit: int,
    as_json: bool,
) -> None:
    """Likely before/after pairs not yet made, best first, each with why."""
    with open_catalog(ctx) as catalog:
        found = pairs.suggestions(catalog, story, within_km, min_gap_days, limit)
    if as_json:
        emit_json([asdict(s) for s in found])
        return
    if not found:
        click.echo("no suggestions: no two photos of one place or viewpoint far enough apart")
    for n, s in enumerate(found, start=1):
        click.echo(
            for_terminal(
                f"{n:>3}. {s.before.photo_id} {s.before.file_name} → "
                f"{s.after.photo_id} {s.after.file_name}",
                True,
            )
        )
        for reason in s.reasons:
            click.echo(for_terminal(f"       {reason}", True))
    if found:
        click.echo("pair one with: photodesk pair BEFORE AFTER --subject …")
