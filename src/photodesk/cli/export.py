"""Export commands: what leaves the desk. `export pair` writes a before/after diptych."""

from __future__ import annotations

from pathlib import Path

import click

from photodesk import pairs
from photodesk.cli.archive import open_catalog
from photodesk.cli.output import warn
from photodesk.text import display_path, for_terminal


@click.group("export")
def export_group() -> None:
    """Write what leaves the desk: diptychs of before/after pairs."""


@export_group.command("pair")
@click.argument("pair_id", type=click.IntRange(1, 2**63 - 1))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--width", type=click.IntRange(200, 20_000), default=2400, show_default=True, help="Pixels."
)
@click.option("--labels", is_flag=True, help="Draw each photo's date on it.")
@click.option("--lang", help="Language of the caption and labels (default: the archive's).")
@click.option(
    "--font",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Font file for the labels (default: one found on this machine).",
)
@click.pass_context
def export_pair(
    ctx: click.Context,
    pair_id: int,
    out: Path,
    width: int,
    labels: bool,
    lang: str | None,
    font: Path | None,
) -> None:
    """A side-by-side diptych of pair PAIR_ID, its caption in the file's IPTC and XMP."""
    with open_catalog(ctx) as catalog:
        warnings = pairs.write_diptych(catalog, pair_id, out, width, labels, lang, font)
    click.echo(for_terminal(f"wrote {display_path(str(out))}", single_line=True))
    for warning in warnings:
        warn(warning)
