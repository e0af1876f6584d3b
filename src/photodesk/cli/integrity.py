"""Commands that keep the archive whole: verify, backup, restore, audit, status."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from photodesk.catalog import Catalog
from photodesk.cli.archive import open_catalog
from photodesk.cli.output import emit_json
from photodesk.cli.progress import progress_bar
from photodesk.errors import PhotodeskError
from photodesk.integrity import audit as audits
from photodesk.integrity import backup as backups
from photodesk.integrity import status as statuses
from photodesk.integrity import verify as verifies
from photodesk.text import display_path, for_terminal


def _line(text: str) -> None:
    click.echo(for_terminal(text, single_line=True))


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return f"{n} B"


@click.command("verify")
@click.option("--quick", is_flag=True, help="Compare sizes only, without re-hashing.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def verify_cmd(ctx: click.Context, quick: bool, as_json: bool) -> None:
    """Re-hash every original and report missing, changed and unreadable files; exit 1 if any."""
    with open_catalog(ctx) as catalog, progress_bar("verifying", not as_json) as report:
        result = verifies.verify(catalog, quick=quick, progress=report)
    if as_json:
        emit_json(result.as_dict())
    else:
        for finding in [*result.missing, *result.changed, *result.unreadable, *result.thumbnails]:
            what = f"photo {finding.photo_id} ({finding.file_name})"
            _line(f"  {what}: {finding.problem}: {finding.path}")
        if result.unknown_files:
            _line(f"  {len(result.unknown_files)} files in originals/ belong to no photo")
        _line(result.summary() + f" ({result.seconds:.1f} s)")
    if not result.ok:
        sys.exit(1)


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def backup_cmd(ctx: click.Context, dest: Path) -> None:
    """Copy the catalog (a consistent snapshot, even while in use) and the files DEST lacks,
    with a manifest of hashes."""
    with open_catalog(ctx) as catalog, progress_bar("backing up") as report:
        result = backups.backup(catalog, dest, progress=report)
    _line(result.summary())


@click.command("restore")
@click.argument("src", type=click.Path(file_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace the catalog the archive has now.")
@click.pass_context
def restore_cmd(ctx: click.Context, src: Path, replace: bool) -> None:
    """Restore a backup into the archive, after checking every file against its manifest."""
    try:
        with progress_bar("restoring") as report:
            result = backups.restore(src, ctx.obj, replace=replace, progress=report)
        with Catalog.open(ctx.obj, create=False):  # the restored catalog opens (and upgrades)
            pass
    except PhotodeskError as exc:
        raise click.ClickException(str(exc)) from exc
    _line(result.summary())


@click.command("audit")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def audit_cmd(ctx: click.Context, as_json: bool) -> None:
    """What carries identifying metadata, what lacks a caption, credit, date or shown place,
    and which pairs break the date rule."""
    with open_catalog(ctx) as catalog, progress_bar("auditing", not as_json) as report:
        result = audits.audit(catalog, progress=report)
    if as_json:
        emit_json(result.as_dict())
        return
    _line(f"{result.photos} photos audited")
    _line(
        f"identifying metadata in {len(result.identifying)} originals (publish copies remove it):"
    )
    for item in result.identifying[:50]:
        _line(f"  photo {item['photo_id']} ({item['file_name']}): {', '.join(item['found'])}")
    for need, ids in result.missing.items():
        what = (
            f"a caption in {result.language}"
            if need == "caption"
            else f"a {need.replace('_', ' ')}"
        )
        shown = ", ".join(map(str, ids[:20])) + (
            f" and {len(ids) - 20} more" if len(ids) > 20 else ""
        )
        _line(f"without {what}: {len(ids)}" + (f" ({shown})" if ids else ""))
    for pair in result.pairs:
        _line(f"pair {pair['pair_id']}: {pair['problem']}")
    for item in result.unreadable:
        _line(f"unreadable: photo {item['photo_id']} ({item['file_name']}): {item['reason']}")


@click.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status_cmd(ctx: click.Context, as_json: bool) -> None:
    """Counts, size on disk, schema version, last import, last verify."""
    with open_catalog(ctx) as catalog:
        found = statuses.status(catalog)
    if as_json:
        emit_json(found)
        return
    c, disk = found["counts"], found["disk"]
    _line(
        f"archive      {display_path(found['archive'])}"
        + (" (read-only)" if found["read_only"] else "")
    )
    _line(
        f"photos       {c['photos']} ({c['photographs']} photographs, {c['artwork']} maps and "
        f"graphics), {c['captions']} captions in {c['languages']} languages"
    )
    _line(f"stories      {c['stories']}, pairs {c['pairs']}, places {c['places']}")
    _line(
        f"on disk      originals {_size(disk['originals'])}, thumbnails "
        f"{_size(disk['thumbnails'])}, catalog {_size(disk['catalog'])}"
    )
    if found["thumbnails_pending"]:
        _line(
            f"thumbnails   {found['thumbnails_pending']} still to be made "
            "(an import was stopped; importing again finishes them)"
        )
    lang = found["default_language"]
    _line(f"schema       version {found['schema_version']}; default language {lang}")
    last = found["last_import"]
    _line(
        "last import  "
        + (
            f"{last['started_at']} ({last['status']}: "
            f"added {last['added']}, failed {last['failed']})"
            if last
            else "never"
        )
    )
    verified = found["last_verify"]
    _line(
        "last verify  "
        + (f"{verified['at']}: {verified['summary']}" if verified else "never (photodesk verify)")
    )
