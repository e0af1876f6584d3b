"""Export commands: what leaves the desk.

`export pair` writes a before/after diptych; `export photos` publish copies
with the captions in and the source's identifying metadata out; `export xmp`
XMP sidecars.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from photodesk import pairs
from photodesk.cli.archive import open_catalog
from photodesk.cli.options import selection_options
from photodesk.cli.output import emit_json, warn
from photodesk.cli.progress import progress_bar
from photodesk.export.publish import (
    DEFAULT_MAX_SIZE,
    DEFAULT_PATTERN,
    DEFAULT_QUALITY,
    ExportProgress,
    PublishOptions,
    publish,
)
from photodesk.export.selection import select
from photodesk.export.sidecar import write_sidecars
from photodesk.text import display_path, for_terminal


@click.group("export")
def export_group() -> None:
    """Write what leaves the desk: sheets, publish copies, XMP sidecars, diptychs."""


@contextmanager
def _progress(label: str, enabled: bool) -> Iterator[Callable[[ExportProgress], None]]:
    """The shared progress bar, fed by the exporters' progress reports."""
    with progress_bar(label, enabled) as bar:
        yield lambda p: bar(p.done, p.total)


def _line(text: str) -> None:
    click.echo(for_terminal(text, single_line=True))


@export_group.command("photos")
@selection_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the copies (created if its parent exists).",
)
@click.option(
    "--max-size",
    type=click.IntRange(16, 65_000),
    default=DEFAULT_MAX_SIZE,
    show_default=True,
    help="Pixels on the long edge; smaller photos keep their size.",
)
@click.option(
    "--quality",
    type=click.IntRange(1, 100),
    default=DEFAULT_QUALITY,
    show_default=True,
    help="JPEG quality.",
)
@click.option(
    "--keep-location",
    is_flag=True,
    help="Also publish the camera's GPS position (removed by default: it can expose the source).",
)
@click.option(
    "--name-pattern",
    default=DEFAULT_PATTERN,
    show_default=True,
    help="File names from {story}, {n} (1, 2…) and {id}; made safe, .jpg added.",
)
@click.option("--overwrite", is_flag=True, help="Replace files of the same names in the folder.")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@click.pass_context
def export_photos(
    ctx: click.Context,
    story: str | None,
    ids: list[int] | None,
    query: str | None,
    out: Path,
    max_size: int,
    quality: int,
    keep_location: bool,
    name_pattern: str,
    overwrite: bool,
    as_json: bool,
) -> None:
    """Publish copies: upright, resized JPEGs with every caption language embedded (IPTC and
    XMP) and GPS, serial numbers, owner names, maker notes and thumbnails removed; each copy
    is read back to prove it. A manifest (JSON and CSV) lists the copies and their originals.
    """
    options = PublishOptions(max_size, quality, keep_location, name_pattern, overwrite)
    with open_catalog(ctx) as catalog, _progress("publishing", not as_json) as report:
        chosen = select(catalog, story=story, ids=ids, query=query)
        try:
            result = publish(catalog, chosen, out, options, progress=report)
        except KeyboardInterrupt:
            click.echo("export interrupted; the copies written so far have no manifest", err=True)
            sys.exit(130)
    for copy in result.files:
        for warning in copy.warnings:
            warn(f"{copy.file}: {warning}")
    if as_json:
        emit_json(
            {
                "folder": str(result.folder),
                "files": [vars(f) for f in result.files],
                "removed": result.removed_counts(),
                "cancelled": result.cancelled,
            }
        )
        return
    for copy in result.files:
        _line(
            f"  {display_path(str(result.folder / copy.file))}  photo {copy.photo_id}, "
            f"{copy.width}x{copy.height}, {' '.join(copy.languages) or 'no captions'}"
        )
    _line(result.summary())


@export_group.command("xmp")
@selection_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the sidecars, NAME.xmp after each original's file name.",
)
@click.option(
    "--beside",
    is_flag=True,
    help="Write each sidecar beside the photo's original in the archive instead.",
)
@click.option("--keep-location", is_flag=True, help="Also write the camera's GPS position.")
@click.option("--overwrite", is_flag=True, help="Replace sidecars that exist already.")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@click.pass_context
def export_xmp(
    ctx: click.Context,
    story: str | None,
    ids: list[int] | None,
    query: str | None,
    out: Path | None,
    beside: bool,
    keep_location: bool,
    overwrite: bool,
    as_json: bool,
) -> None:
    """XMP sidecars with every caption field, read by Lightroom, darktable, digiKam, exiftool."""
    if (out is None) == (not beside):
        raise click.UsageError("give --out DIR or --beside (one of the two)")
    with open_catalog(ctx) as catalog, _progress("writing sidecars", not as_json) as report:
        chosen = select(catalog, story=story, ids=ids, query=query)
        result = write_sidecars(
            catalog, chosen, out, beside, keep_location, overwrite, progress=report
        )
    for written in result.files:
        for warning in written.warnings:
            warn(f"{display_path(str(written.path))}: {warning}")
    if as_json:
        emit_json(
            {
                "files": [{"photo_id": w.photo_id, "path": str(w.path)} for w in result.files],
                "cancelled": result.cancelled,
            }
        )
        return
    for written in result.files:
        _line(f"  {display_path(str(written.path))}  photo {written.photo_id}")
    _line(result.summary())


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
