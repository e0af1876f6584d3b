"""Commands for writing captions: caption, history, undo."""

from __future__ import annotations

from typing import Any

import click

from photodesk.catalog import Catalog, edits, history, photos, search, stories
from photodesk.cli.archive import open_catalog
from photodesk.cli.options import PHOTO_ID, field_options, id_list
from photodesk.cli.output import emit_json
from photodesk.text import for_terminal


@click.command("caption")
@click.argument("photo_id", type=PHOTO_ID, required=False)
@click.option("--ids", help="Batch: these photo ids (3,4,9 or 3-9).")
@click.option("--story", "story_name", help="Batch: every photo in this story.")
@click.option("--search", "query", help="Batch: every photo this search finds.")
@click.option("--lang", help="Language of headline/title/caption (default: the archive's).")
@field_options(scopes=("language", "photo"))
@click.option("--user", help="Who is editing (default: the login name).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def caption_cmd(
    ctx: click.Context,
    photo_id: int | None,
    ids: str | None,
    story_name: str | None,
    query: str | None,
    lang: str | None,
    user: str | None,
    as_json: bool,
    **values: Any,
) -> None:
    """Edit caption fields of one photo, or shared fields of a selection.

    Text may hold code replacements such as =qh=; they expand when saved.
    An empty value ('') clears a field. Every change is kept in the history.
    """
    selectors = [x for x in (photo_id, ids, story_name, query) if x is not None]
    if len(selectors) != 1:
        raise click.UsageError("name one photo ID, or one of --ids, --story, --search")
    edit = edits.Edit(values, lang=lang)
    with open_catalog(ctx) as catalog:
        targets = _selection(catalog, photo_id, ids, story_name, query)
        if not targets:
            raise click.ClickException("the selection holds no photos")
        result = edits.apply_edit(
            catalog.db,
            targets,
            edit,
            history.current_user(user),
            summary="batch edit" if photo_id is None else "edit",
        )
    if as_json:
        emit_json(result.__dict__ | {"photo_ids": targets})
    elif result.change_set is None:
        click.echo("nothing changed: the values are already so")
    else:
        click.echo(
            f"{result.fields_changed} field(s) changed on {result.photos_changed} "
            f"photo(s) (change set {result.change_set}; undo with: photodesk undo)"
        )
    for code in result.unknown_codes:
        click.echo(
            f"warning: unknown code {code} left as typed (see: photodesk codes list)", err=True
        )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)


def _selection(
    catalog: Catalog,
    photo_id: int | None,
    ids: str | None,
    story_name: str | None,
    query: str | None,
) -> list[int]:
    if photo_id is not None:
        return [photo_id]
    if ids is not None:
        return id_list(ids)
    if story_name is not None:
        return stories.photo_order(catalog.db, stories.require(catalog.db, story_name))
    return search.all_ids(catalog.db, query or "")


@click.command("history")
@click.argument("photo_id", type=PHOTO_ID)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def history_cmd(ctx: click.Context, photo_id: int, as_json: bool) -> None:
    """Every change to one photo's caption fields, oldest first."""
    with open_catalog(ctx) as catalog:
        if not photos.exists(catalog.db, photo_id):
            raise click.ClickException(f"no photo with id {photo_id}")
        changes = history.for_photo(catalog.db, photo_id)
        if as_json:
            emit_json([c.__dict__ for c in changes])
            return
        if not changes:
            click.echo("no changes recorded")
        for c in changes:
            field = f"{c.field} [{c.lang}]" if c.lang else c.field
            note = " (undone)" if c.undone_by else f" (undo of {c.undoes})" if c.undoes else ""
            old = history.display_value(catalog.db, c.field, c.old)
            new = history.display_value(catalog.db, c.field, c.new)
            click.echo(
                for_terminal(f"#{c.change_set} {c.at} {c.user}{note}: {field}: {old!r} → {new!r}")
            )


@click.command("undo")
@click.argument("photo_id", type=PHOTO_ID, required=False)
@click.option("--user", help="Who is undoing (default: the login name).")
@click.pass_context
def undo_cmd(ctx: click.Context, photo_id: int | None, user: str | None) -> None:
    """Revert the last change set (a batch edit undoes as one), or PHOTO_ID's last change."""
    with open_catalog(ctx) as catalog:
        if photo_id is not None and not photos.exists(catalog.db, photo_id):
            raise click.ClickException(f"no photo with id {photo_id}")
        done = edits.undo(catalog.db, history.current_user(user), photo_id)
    if done is None:
        click.echo("nothing to undo")
    else:
        click.echo(f"undid change set {done[0]} (recorded as change set {done[1]})")
