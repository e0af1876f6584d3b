"""The `photodesk` group: the archive option, and every command registered by name.

Each command parses its options, calls the core, prints. No logic lives here
beyond turning core errors into one-line messages and core results into text
or JSON. Commands live in modules by subject.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

import click

from photodesk.cli import (
    captioning,
    codes,
    config,
    export,
    integrity,
    library,
    pairs,
    places,
    search,
    sheets,
    stories,
)
from photodesk.cli.archive import open_catalog
from photodesk.config import ENV_VAR, Archive
from photodesk.text import for_terminal


class _Desk(click.Group):
    """The top command: every error message is made safe for the terminal in one place.

    Messages quote what the user or a file gave (paths, file names, option
    values); click would print them raw, escape sequences included.
    """

    def main(  # type: ignore[override]
        self, args: Any = None, prog_name: str | None = None, *rest: Any, **extra: Any
    ) -> Any:
        if extra.get("standalone_mode", True) is False:
            return super().main(args, prog_name, *rest, **extra)
        extra["standalone_mode"] = False
        args = _archive_first(list(sys.argv[1:] if args is None else args))
        try:
            code = super().main(args, prog_name, *rest, **extra)
        except click.UsageError as exc:
            # One line for every usage mistake, click's own or ours: what was wrong,
            # and where to read what to type instead.
            hint = f" (see: {exc.ctx.command_path} --help)" if exc.ctx else ""
            message = for_terminal(exc.format_message(), single_line=True)
            click.echo(f"Error: {message}{hint if 'see:' not in message else ''}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.message = for_terminal(exc.message)
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # `photodesk list | head`: the reader has gone
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - as click does
                sys.exit(1)
            raise
        sys.exit(code if isinstance(code, int) else 0)


def _archive_first(args: list[str]) -> list[str]:
    """`photodesk list --archive DIR` means `photodesk --archive DIR list`, as people type it."""
    out: list[str] = []
    archive: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            out += args[i:]
            break
        if arg == "--archive" and i + 1 < len(args) and out:
            archive = [arg, args[i + 1]]
            i += 2
            continue
        if arg.startswith("--archive=") and out:
            archive = [arg]
        else:
            out.append(arg)
        i += 1
    return archive + out


@click.group(
    cls=_Desk,
    context_settings={"help_option_names": ["-h", "--help"]},
    invoke_without_command=True,
)
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


@click.command("init")
@click.pass_context
def init_cmd(ctx: click.Context) -> None:
    """Make an archive (./archive, or --archive DIR) without importing anything yet."""
    existed = ctx.obj.db_path.exists()
    with open_catalog(ctx, create=True) as catalog:
        root = catalog.archive.root
    click.echo(
        for_terminal(f"{'an archive is already' if existed else 'made an archive'} at {root}")
    )


for command in (
    init_cmd,
    browse_cmd,
    library.import_cmd,
    library.list_cmd,
    library.show_cmd,
    search.search_cmd,
    captioning.caption_cmd,
    captioning.history_cmd,
    captioning.undo_cmd,
    captioning.redo_cmd,
    places.place_group,
    pairs.pair_group,
    stories.story_group,
    codes.codes_group,
    config.config_group,
    export.export_group,
    integrity.verify_cmd,
    integrity.backup_cmd,
    integrity.restore_cmd,
    integrity.audit_cmd,
    integrity.status_cmd,
):
    main.add_command(command)
export.export_group.add_command(sheets.sheet_command)
