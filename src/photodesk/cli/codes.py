"""Code replacements: =qh= in caption text expands to its replacement when saved."""

from __future__ import annotations

import click

from photodesk.catalog import codes
from photodesk.cli.archive import open_catalog
from photodesk.cli.output import emit_json
from photodesk.text import for_terminal


@click.group("codes")
def codes_group() -> None:
    """Code replacements: =qh= in caption text expands to its replacement."""


@codes_group.command("add")
@click.argument("code")
@click.argument("text")
@click.pass_context
def codes_add(ctx: click.Context, code: str, text: str) -> None:
    """Add or replace one code: `codes add qh "Quanhe customs house"`."""
    with open_catalog(ctx) as catalog:
        codes.add(catalog.db, code, text)
    click.echo(f"={code.strip('=')}= → {for_terminal(text)}")


@codes_group.command("remove")
@click.argument("code")
@click.pass_context
def codes_remove(ctx: click.Context, code: str) -> None:
    """Remove one code."""
    with open_catalog(ctx) as catalog:
        if not codes.remove(catalog.db, code):
            raise click.ClickException(f"no code {code!r}")


@codes_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def codes_import(ctx: click.Context, path: str) -> None:
    """Read a Photo Mechanic code replacement file (code<TAB>text per line)."""
    with open_catalog(ctx) as catalog:
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
