"""The `photodesk` group: the archive option, and every command registered by name.

Each command parses its options, calls the core, prints. No logic lives here
beyond turning core errors into one-line messages and core results into text
or JSON. Commands live in modules by subject.
"""

from __future__ import annotations

import click

from photodesk.cli import (
    captioning,
    codes,
    config,
    export,
    library,
    pairs,
    places,
    search,
    sheets,
    stories,
)
from photodesk.cli.archive import open_catalog
from photodesk.config import ENV_VAR, Archive


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.option(
    "--archive",
    "archive_dir",
    type=click.Path(file_okay=False),
    help=f"Archive folder (default: ${ENV_VAR}, else ./archive).",
)
@click.version_option(package_name="photodesk")
@click.pass_context
def main(ctx: click.Context, archive_dir: str | None) -> None:
    """photodesk: a photo archive and caption manager for a photo desk.

    With no command, opens the terminal UI on the archive (as `photodesk browse`).
    """
    ctx.obj = Archive.locate(archive_dir)
    if ctx.invoked_subcommand is None:
        ctx.invoke(browse_cmd)


@click.command("browse")
@click.pass_context
def browse_cmd(ctx: click.Context) -> None:
    """Open the terminal UI: browse, search, caption, pair and import."""
    from photodesk.tui import make_app  # Textual loads only when the UI opens

    with open_catalog(ctx, create=True):  # a clear message if the archive cannot be opened
        pass
    make_app(ctx.obj).run()


for command in (
    browse_cmd,
    library.import_cmd,
    library.list_cmd,
    library.show_cmd,
    search.search_cmd,
    captioning.caption_cmd,
    captioning.history_cmd,
    captioning.undo_cmd,
    places.place_group,
    pairs.pair_group,
    stories.story_group,
    codes.codes_group,
    config.config_group,
    export.export_group,
):
    main.add_command(command)
export.export_group.add_command(sheets.sheet_command)
