"""Story (assignment) commands: create, add, remove, order, list, show."""

from __future__ import annotations

from collections.abc import Callable

import click

from photodesk.catalog import Catalog, stories
from photodesk.catalog import photos as photo_rows
from photodesk.cli.archive import Mistake, open_catalog
from photodesk.cli.options import FIELD_LIST, LANGUAGES, id_list
from photodesk.cli.output import PROOF_FIELDS, emit_json, print_proof, print_rows, proof_photos
from photodesk.language import few
from photodesk.text import for_terminal


def _ids(values: tuple[str, ...]) -> list[int]:
    return id_list(",".join(values))


def _all_known(ids: list[int], known: Callable[[int], bool], what: str) -> None:
    """Refuse ids that are not `what`, naming the first few: a range can hold 100,000 of them."""
    missing = [str(i) for i in ids if not known(i)]
    if missing:
        raise click.ClickException(
            f"{len(missing):,} of the {len(ids):,} ids given {what}: {few(missing, 5)}"
        )


def _in_story(catalog: Catalog, story_id: int) -> Callable[[int], bool]:
    return set(stories.photo_order(catalog.db, story_id)).__contains__


@click.group("story")
def story_group() -> None:
    """Stories: assignments with an ordered list of photos."""


@story_group.command("create")
@click.argument("name")
@click.option("--job-id", help="Job id (transmission reference) for the story.")
@click.pass_context
def story_create(ctx: click.Context, name: str, job_id: str | None) -> None:
    """Create a story (an assignment), optionally with its job id."""
    with open_catalog(ctx) as catalog:
        story_id = stories.create(catalog.db, name, job_id)
    click.echo(f"story {story_id}: {for_terminal(name)}")


@story_group.command("add")
@click.argument("story")
@click.argument("ids", nargs=-1, required=True)
@click.pass_context
def story_add(ctx: click.Context, story: str, ids: tuple[str, ...]) -> None:
    """Add photos (ids such as 3 4 9 or 3-9) at the end of STORY.

    STORY is a name (or its start) or an id.
    """
    photo_ids = _ids(ids)
    with open_catalog(ctx) as catalog:
        stories.require(catalog.db, story)
        _all_known(
            photo_ids, lambda i: photo_rows.exists(catalog.db, i), "are not photos in the archive"
        )
        added = stories.add(catalog.db, story, photo_ids)
    click.echo(f"{added} photo(s) added")


@story_group.command("remove")
@click.argument("story")
@click.argument("ids", nargs=-1, required=True)
@click.pass_context
def story_remove(ctx: click.Context, story: str, ids: tuple[str, ...]) -> None:
    """Take photos out of STORY (they stay in the archive).

    STORY is a name (or its start) or an id.
    """
    photo_ids = _ids(ids)
    with open_catalog(ctx) as catalog:
        story_id = stories.require(catalog.db, story)
        _all_known(photo_ids, _in_story(catalog, story_id), "are not in the story")
        removed = stories.remove(catalog.db, story, photo_ids)
    click.echo(f"{removed} photo(s) removed")


@story_group.command("order")
@click.argument("story")
@click.argument("ids", nargs=-1, required=True)
@click.pass_context
def story_order(ctx: click.Context, story: str, ids: tuple[str, ...]) -> None:
    """Put these photos first, in this order; the others follow in their old order.

    STORY is a name (or its start) or an id.
    """
    photo_ids = _ids(ids)
    with open_catalog(ctx) as catalog:
        story_id = stories.require(catalog.db, story)
        _all_known(photo_ids, _in_story(catalog, story_id), "are not in the story")
        order = stories.order(catalog.db, story, photo_ids)
    click.echo("order: " + " ".join(map(str, order)))


@story_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def story_list(ctx: click.Context, as_json: bool) -> None:
    """Every story with its job id and photo count."""
    with open_catalog(ctx) as catalog:
        rows = stories.listing(catalog.db)
    if as_json:
        emit_json(rows)
        return
    for s in rows:
        job = f"  job {s['job_id']}" if s["job_id"] else ""
        click.echo(for_terminal(f"{s['id']:>4}  {s['name']}{job}  [{s['photos']} photo(s)]"))


@story_group.command("show")
@click.argument("story")
@click.option("--lang", type=LANGUAGES, help="Caption language to show; with --full, several.")
@click.option("--full", is_flag=True, help="Proofread: headline, caption, credit, date, places.")
@click.option("--fields", type=FIELD_LIST, help="With --full (implied), these fields instead.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def story_show(
    ctx: click.Context,
    story: str,
    lang: list[str] | None,
    full: bool,
    fields: tuple[str, ...] | None,
    as_json: bool,
) -> None:
    """The story's photos in story order. STORY is a name (or its start) or an id."""
    full = full or fields is not None
    if lang and len(lang) > 1 and not full:
        raise Mistake("several languages need --full (story show NAME --full --lang en,ko)")
    with open_catalog(ctx) as catalog:
        langs = lang or [catalog.default_language]
        story_id = stories.require(catalog.db, story)
        info = stories.get(catalog.db, story_id)
        order = stories.photo_order(catalog.db, story_id)
        rows = photo_rows.summaries(catalog.db, order, langs[0])
        proof = proof_photos(catalog, order, langs) if full and not as_json else []
    if as_json:
        emit_json(info | {"photos": rows})
        return
    job = f" (job {info['job_id']})" if info["job_id"] else ""
    click.echo(for_terminal(f"{info['name']}{job}"))
    if full:
        print_proof(proof, langs, fields or PROOF_FIELDS)
    else:
        print_rows(rows)
