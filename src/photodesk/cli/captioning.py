"""Commands for writing captions: caption, history, undo, search, codes, config."""

from __future__ import annotations

from typing import Any

import click

from photodesk.catalog import Catalog, codes, edits, history, search, stories
from photodesk.catalog import photos as photo_rows
from photodesk.catalog.tx import write
from photodesk.cli import PHOTO_ID, date_bound, emit_json, id_list, main, open_catalog
from photodesk.cli.library import print_rows
from photodesk.fields import KINDS, STATUSES
from photodesk.language import normalize_lang
from photodesk.text import for_terminal

_TEXT_OPTIONS = {
    "credit": "Credit line.",
    "creator": "Creator (by-line).",
    "creator_title": "Creator's job title.",
    "source": "Source.",
    "copyright": "Copyright notice.",
    "job_id": "Job id (transmission reference).",
    "instructions": "Special instructions.",
    "caption_writer": "Caption writer.",
}


def _text_options(f):
    for name, help_text in reversed(_TEXT_OPTIONS.items()):
        f = click.option(f"--{name.replace('_', '-')}", name, help=help_text)(f)
    return f


@main.command("caption")
@click.argument("photo_id", type=PHOTO_ID, required=False)
@click.option("--ids", help="Batch: these photo ids (3,4,9 or 3-9).")
@click.option("--story", "story_name", help="Batch: every photo in this story.")
@click.option("--search", "query", help="Batch: every photo this search finds.")
@click.option("--lang", help="Language of headline/title/caption (default: the archive's).")
@click.option("--headline")
@click.option("--caption", "description", help="The caption (IPTC description).")
@click.option("--title")
@click.option("--date", help='When taken: "2023-07-28", "late July 2023", "circa 2019"…')
@click.option("--created", "created_place", help="Place where the camera stood.")
@click.option("--shown", "shown_place", help="Place the frame shows.")
@_text_options
@click.option("--keywords", help="Comma-separated keywords (replaces the list; '' clears).")
@click.option("--kind", type=click.Choice(KINDS))
@click.option("--status", type=click.Choice(STATUSES))
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
    headline: str | None,
    description: str | None,
    title: str | None,
    date: str | None,
    created_place: str | None,
    shown_place: str | None,
    keywords: str | None,
    kind: str | None,
    status: str | None,
    user: str | None,
    as_json: bool,
    **text: str | None,
) -> None:
    """Edit caption fields of one photo, or shared fields of a selection.

    Text may hold code replacements such as =qh=; they expand when saved.
    An empty value ('') clears a field. Every change is kept in the history.
    """
    selectors = [x for x in (photo_id, ids, story_name, query) if x is not None]
    if len(selectors) != 1:
        raise click.UsageError("name one photo ID, or one of --ids, --story, --search")
    edit = edits.Edit(
        lang=lang,
        captions={
            k: v
            for k, v in (("headline", headline), ("title", title), ("description", description))
            if v is not None
        },
        text={k: v for k, v in text.items() if v is not None},
        keywords=None if keywords is None else keywords.split(","),
        kind=kind,
        status=status,
        date=date,
        created_place=created_place,
        shown_place=shown_place,
    )
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
            default_lang=catalog.default_language,
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
    # A batch takes every match, not the newest few that interactive search ranks.
    everything = search.SearchFilter(limit=None, window=2**62, common_window=2**62)
    return search.search_ids(catalog.db, query or "", everything)


def _history_value(catalog: Catalog, field: str, value: str | None) -> str:
    if value is None:
        return "∅"
    if field == "date":
        return edits.date_columns(value).get("taken_text") or "?"
    if field in edits.PLACE_FIELDS:
        row = catalog.db.execute("SELECT name FROM places WHERE id = ?", [int(value)]).fetchone()
        return row[0] if row else f"place {value}"
    return value


@main.command("history")
@click.argument("photo_id", type=PHOTO_ID)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def history_cmd(ctx: click.Context, photo_id: int, as_json: bool) -> None:
    """Every change to one photo's caption fields, oldest first."""
    with open_catalog(ctx) as catalog:
        if photo_rows.get(catalog.db, photo_id, catalog.default_language) is None:
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
            old = _history_value(catalog, c.field, c.old)
            new = _history_value(catalog, c.field, c.new)
            click.echo(
                for_terminal(f"#{c.change_set} {c.at} {c.user}{note}: {field}: {old!r} → {new!r}")
            )


@main.command("undo")
@click.argument("photo_id", type=PHOTO_ID, required=False)
@click.option("--user", help="Who is undoing (default: the login name).")
@click.pass_context
def undo_cmd(ctx: click.Context, photo_id: int | None, user: str | None) -> None:
    """Revert the last change set (a batch edit undoes as one), or PHOTO_ID's last change."""
    with open_catalog(ctx) as catalog:
        if photo_id is not None and not catalog.db["photos"].count_where("id = ?", [photo_id]):
            raise click.ClickException(f"no photo with id {photo_id}")
        done = edits.undo(catalog.db, history.current_user(user), photo_id)
    if done is None:
        click.echo("nothing to undo")
    else:
        click.echo(f"undid change set {done[0]} (recorded as change set {done[1]})")


@main.command("search", context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True)
@click.option("--lang", help="Only match captions in this language.")
@click.option("--story", "story_name", help="Only photos in this story.")
@click.option("--since", help="Photos whose date range reaches this date or later.")
@click.option("--until", help="Photos whose date range starts on or before this date.")
@click.option("--kind", type=click.Choice(KINDS))
@click.option("--uncaptioned", is_flag=True, help="Only photos without a caption.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search_cmd(
    ctx: click.Context,
    words: tuple[str, ...],
    lang: str | None,
    story_name: str | None,
    since: str | None,
    until: str | None,
    kind: str | None,
    uncaptioned: bool,
    limit: int,
    as_json: bool,
) -> None:
    """Find photos by words in captions, headlines, keywords, places, file names, credit.

    Words are all required; end one with * for a prefix (cust*). Korean,
    Japanese and Chinese are found inside longer text. Quotes are not needed:
    photodesk search trucks customs.
    """
    query = " ".join(words)
    with open_catalog(ctx) as catalog:
        shown_lang = normalize_lang(lang) if lang else catalog.default_language
        flt = search.SearchFilter(
            lang=normalize_lang(lang) if lang else None,
            story_id=stories.require(catalog.db, story_name) if story_name else None,
            since=date_bound(since, end=False),
            until=date_bound(until, end=True, since=since),
            kind=kind,
            uncaptioned_lang=shown_lang if uncaptioned else None,
            limit=limit,
        )
        if search.build_query(query) is None:
            raise click.UsageError(f"nothing to search for in {query!r}: give a word")
        ids = search.search_ids(catalog.db, query, flt)
        rows = photo_rows.summaries(catalog.db, ids, shown_lang)
    if as_json:
        emit_json(rows)
    else:
        print_rows(rows)


@main.group("codes")
def codes_group() -> None:
    """Code replacements: =qh= in caption text expands to its replacement."""


@codes_group.command("add")
@click.argument("code")
@click.argument("text")
@click.pass_context
def codes_add(ctx: click.Context, code: str, text: str) -> None:
    """Add or replace one code: `codes add qh "Quanhe customs house"`."""
    with open_catalog(ctx) as catalog, write(catalog.db):
        codes.add(catalog.db, code, text)
    click.echo(f"={code.strip('=')}= → {for_terminal(text)}")


@codes_group.command("remove")
@click.argument("code")
@click.pass_context
def codes_remove(ctx: click.Context, code: str) -> None:
    """Remove one code."""
    with open_catalog(ctx) as catalog, write(catalog.db):
        if not codes.remove(catalog.db, code):
            raise click.ClickException(f"no code {code!r}")


@codes_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def codes_import(ctx: click.Context, path: str) -> None:
    """Read a Photo Mechanic code replacement file (code<TAB>text per line)."""
    with open_catalog(ctx, create=True) as catalog, write(catalog.db):
        count = codes.import_file(catalog.db, path)
    click.echo(f"{count} code(s) imported")


@codes_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def codes_list(ctx: click.Context, as_json: bool) -> None:
    """All codes and their replacements."""
    with open_catalog(ctx) as catalog:
        table = codes.all_codes(catalog.db)
    if as_json:
        emit_json(table)
        return
    for code, text in table.items():
        click.echo(for_terminal(f"={code}=\t{text}"))


@main.group("config")
def config_group() -> None:
    """Archive settings."""


@config_group.command("default-language")
@click.argument("lang")
@click.pass_context
def config_default_language(ctx: click.Context, lang: str) -> None:
    """Set the language captions are written in unless --lang says otherwise."""
    with open_catalog(ctx, create=True) as catalog:
        tag = normalize_lang(lang)
        catalog.set_default_language(tag)
    click.echo(f"default language: {tag}")


@config_group.command("show")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def config_show(ctx: click.Context, as_json: bool) -> None:
    """Where the archive is, its default language and schema version."""
    with open_catalog(ctx) as catalog:
        settings: dict[str, Any] = {
            "archive": str(catalog.archive.root),
            "default_language": catalog.default_language,
            "schema_version": catalog.schema_version,
        }
    if as_json:
        emit_json(settings)
    else:
        for key, value in settings.items():
            click.echo(f"{key}: {value}")
