"""`photodesk export sheet`: a caption sheet in any format the exporter registry lists."""

from __future__ import annotations

from pathlib import Path

import click

from photodesk.cli.archive import open_catalog
from photodesk.cli.options import selection_options
from photodesk.cli.output import warn
from photodesk.export import FORMATS, SheetOptions, sheet, write_sheet
from photodesk.export.selection import select
from photodesk.text import display_path, for_terminal


@click.command("sheet")
@selection_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="html",
    show_default=True,
    help="; ".join(f"{f.name}: {f.label}" for f in FORMATS.values()),
)
@click.option("--lang", help="Language of the captions (default: the archive's).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write (default: the story or selection's name with the format's suffix).",
)
@click.option("--excel", is_flag=True, help="CSV: begin with a byte-order mark for Excel.")
@click.option(
    "--thumbs-folder",
    is_flag=True,
    help="HTML: thumbnails in a folder beside the page instead of inside it.",
)
@click.pass_context
def sheet_command(
    ctx: click.Context,
    story: str | None,
    ids: list[int] | None,
    query: str | None,
    fmt: str,
    lang: str | None,
    out: Path | None,
    excel: bool,
    thumbs_folder: bool,
) -> None:
    """A caption sheet of a story, some photos or a search: csv, md, json, html or pdf."""
    with open_catalog(ctx) as catalog:  # its errors, the writer's too, as one line
        chosen = select(catalog, story=story, ids=ids, query=query)
        made = sheet.build(catalog, chosen, lang)
        target = out or Path(sheet.file_stem(made.title) + FORMATS[fmt].suffix)
        write_sheet(made, fmt, target, SheetOptions(excel=excel, thumbs_folder=thumbs_folder))
    click.echo(
        for_terminal(
            f"wrote {display_path(str(target))}: {made.summary}",
            single_line=True,
        )
    )
    for warning in made.warnings:
        warn(warning)
