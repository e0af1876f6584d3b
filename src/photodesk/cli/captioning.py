"""Commands for writing captions: caption, history, undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from photodesk.catalog import Catalog, edits, history, photos, search, stories
from photodesk.cli.archive import open_catalog
from photodesk.cli.options import LANGUAGE, PHOTO_ID, field_options, id_list
from photodesk.cli.output import emit_json
from photodesk.errors import PhotodeskError
from photodesk.metadata.template import load_template
from photodesk.text import for_terminal


@click.command("caption")
@click.argument("photo_id", type=PHOTO_ID, required=False)
@click.option("--ids", help="Batch: these photo ids (3,4,9 or 3-9).")
@click.option("--story", "story_name", help="Batch: every photo in this story.")
@click.option("--search", "query", help="Batch: every photo this search finds.")
@click.option(
    "--lang", type=LANGUAGE, help="Language of headline/title/caption (default: the archive's)."
)
@field_options(scopes=("language", "photo"))
@click.option(
    "--append-caption", metavar="TEXT", help="Add TEXT as a last paragraph of each caption."
)
@click.option(
    "--prepend-caption", metavar="TEXT", help="Add TEXT as a first paragraph of each caption."
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A stationery file (XMP, or JSON of field: value) filling fields left empty.",
)
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
    append_caption: str | None,
    prepend_caption: str | None,
    template: Path | None,
    user: str | None,
    as_json: bool,
    **values: Any,
) -> None:
    """Edit caption fields of one photo, or shared fields of a selection.

    Text may hold code replacements such as =qh=; they expand when saved.
    An empty value ('') clears a field. Every change is kept in the history.
    --append-caption, --prepend-caption and --template work on a whole
    selection, photo by photo, in the same change set as the other fields.
    """
    selectors = [x for x in (photo_id, ids, story_name, query) if x is not None]
    if len(selectors) != 1:
        raise click.UsageError("name one photo ID, or one of --ids, --story, --search")
    if append_caption is not None and prepend_caption is not None:
        raise click.UsageError("give --append-caption or --prepend-caption, not both")
    modes: dict[str, edits.Mode] = {}
    if template is not None:
        try:
            filled = load_template(template)
        except PhotodeskError as exc:
            raise click.UsageError(str(exc)) from exc
        for name, value in filled.items():
            if values.get(name) is None:  # an option given outright wins over the template
                values[name], modes[name] = value, "fill"
    for mode, text in (("append", append_caption), ("prepend", prepend_caption)):
        if text is not None:
            if values.get("description") is not None and modes.get("description") != "fill":
                raise click.UsageError(f"give --caption or --{mode}-caption, not both")
            values["description"], modes["description"] = text, mode  # type: ignore[assignment]
    edit = edits.Edit(values, lang=lang, modes=modes)
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
@click.argument("photo_id", type=PHOTO_ID, required=False)
@click.option(
    "--limit",
    type=click.IntRange(1, 10_000),
    default=20,
    show_default=True,
    help="Without PHOTO_ID: how many change sets.",
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def history_cmd(ctx: click.Context, photo_id: int | None, limit: int, as_json: bool) -> None:
    """Every change to one photo's caption fields, oldest first; without PHOTO_ID, the
    archive's newest change sets: who, when, how many photos and fields."""
    with open_catalog(ctx) as catalog:
        if photo_id is None:
            sets = history.recent(catalog.db, limit)
            if as_json:
                emit_json(sets)
            elif not sets:
                click.echo("no changes recorded")
            for c in sets if not as_json else []:
                state = " (undone)" if c["undone_by"] else ""
                click.echo(
                    for_terminal(
                        f"#{c['id']} {c['at']} {c['user']}: {c['summary']} — "
                        f"{c['photos']} photo{'' if c['photos'] == 1 else 's'}, "
                        f"{c['fields']} field{'' if c['fields'] == 1 else 's'}{state}",
                        single_line=True,
                    )
                )
            return
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
@click.option("--dry-run", is_flag=True, help="Show what would be reverted; change nothing.")
@click.option("--user", help="Who is undoing (default: the login name).")
@click.pass_context
def undo_cmd(ctx: click.Context, photo_id: int | None, dry_run: bool, user: str | None) -> None:
    """Revert the last change set (a batch edit undoes as one), or PHOTO_ID's last change."""
    with open_catalog(ctx) as catalog:
        if photo_id is not None and not photos.exists(catalog.db, photo_id):
            raise click.ClickException(f"no photo with id {photo_id}")
        if dry_run:
            preview = edits.undo_preview(catalog.db, photo_id)
            if preview is None:
                click.echo("nothing to undo")
                return
            target, entries = preview
            click.echo(f"undo would revert change set {target} ({len(entries)} fields):")
            for e in entries:
                field = f"{e['field']} [{e['lang']}]" if e["lang"] else e["field"]
                new = history.display_value(catalog.db, e["field"], e["new"])
                old = history.display_value(catalog.db, e["field"], e["old"])
                who = f"photo {e['photo_id']}" if e["photo_id"] else "places"
                click.echo(for_terminal(f"  {who}: {field}: {new!r} → {old!r}", single_line=True))
            return
        done = edits.undo(catalog.db, history.current_user(user), photo_id)
    if done is None:
        click.echo("nothing to undo")
    else:
        click.echo(f"undid change set {done[0]} (recorded as change set {done[1]})")


@click.command("redo")
@click.option("--user", help="Who is redoing (default: the login name).")
@click.pass_context
def redo_cmd(ctx: click.Context, user: str | None) -> None:
    """Take back the last undo: what it reverted is written again (a new edit since then
    ends what can be redone)."""
    with open_catalog(ctx) as catalog:
        done = edits.redo(catalog.db, history.current_user(user))
    if done is None:
        click.echo("nothing to redo")
    else:
        click.echo(f"redid what change set {done[0]} undid (recorded as change set {done[1]})")
