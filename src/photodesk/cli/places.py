"""The gazetteer commands: place add / list / edit / merge / suggest."""

from __future__ import annotations

import click

from photodesk.catalog import history, place_edits, places
from photodesk.catalog import photos as photo_rows
from photodesk.cli.archive import open_catalog
from photodesk.cli.options import KILOMETRES, PHOTO_ID, field_options
from photodesk.cli.output import emit_json
from photodesk.text import for_terminal


def _detail_options(f):
    f = click.option("--lon", "longitude", type=float, help="Longitude, signed decimal degrees.")(f)
    f = click.option("--lat", "latitude", type=float, help="Latitude, signed decimal degrees.")(f)
    return field_options(scopes=("place",))(f)


@click.group("place")
def place_group() -> None:
    """Named places: where the camera stood (created) and what the frame shows (shown)."""


@place_group.command("add")
@click.argument("name")
@_detail_options
@click.pass_context
def place_add(ctx: click.Context, name: str, **details) -> None:
    """Add a named place with its IPTC hierarchy and optional coordinates."""
    with open_catalog(ctx) as catalog:
        place_id = places.add(catalog.db, name, **details)
    click.echo(f"place {place_id}: {for_terminal(name)}")


@place_group.command("edit")
@click.argument("place")
@click.option("--name", "new_name", help="A new name.")
@_detail_options
@click.pass_context
def place_edit(ctx: click.Context, place: str, new_name: str | None, **details) -> None:
    """Change a place's details; give '' to clear one.

    PLACE is a name (any case and dash, or its start when only one place has it) or an id.
    """
    with open_catalog(ctx) as catalog:
        place_id = place_edits.edit(catalog.db, place, new_name, **details)
    click.echo(f"place {place_id} updated")


@place_group.command("merge")
@click.argument("source")
@click.argument("target")
@click.option("--user", help="Who is merging (default: the login name).")
@click.pass_context
def place_merge(ctx: click.Context, source: str, target: str, user: str | None) -> None:
    """Fold SOURCE into TARGET: its photos now refer to TARGET, and SOURCE is removed.

    Each is a place's name (or its start) or its id.

    Kept in the history as one change set: photodesk undo brings SOURCE back.
    """
    with open_catalog(ctx) as catalog:
        moved = place_edits.merge(catalog.db, source, target, history.current_user(user))
    click.echo(f"merged; {moved} photo(s) now refer to {for_terminal(target)}")


@place_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def place_list(ctx: click.Context, as_json: bool) -> None:
    """Every place, with how many photos refer to it."""
    with open_catalog(ctx) as catalog:
        rows = places.listing(catalog.db)
    if as_json:
        emit_json(rows)
        return
    for p in rows:
        where = places.name_for(p) or ""
        code = f" ({p['country_code']})" if p["country_code"] else ""
        coords = (
            f"  {p['latitude']:.5f}, {p['longitude']:.5f}"
            if p["latitude"] is not None and p["longitude"] is not None
            else ""
        )
        details = f"  — {where}{code}" if where or code else ""
        click.echo(
            for_terminal(f"{p['id']:>4}  {p['name']}{details}{coords}  [{p['photos']} photo(s)]")
        )


@place_group.command("suggest")
@click.argument("photo_id", type=PHOTO_ID)
@click.option(
    "--within",
    "within_km",
    type=KILOMETRES,
    default=25.0,
    show_default=True,
    help="Kilometres from the photo's GPS position.",
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def place_suggest(ctx: click.Context, photo_id: int, within_km: float, as_json: bool) -> None:
    """Places near where the photo's GPS says the camera was. Nothing is assigned."""
    with open_catalog(ctx) as catalog:
        photo = photo_rows.get(catalog.db, photo_id, catalog.default_language)
        if photo is None:
            raise click.ClickException(f"no photo with id {photo_id}")
        if photo["gps_lat"] is None or photo["gps_lon"] is None:
            raise click.ClickException(f"photo {photo_id} has no GPS position to suggest from")
        rows = places.near(catalog.db, photo["gps_lat"], photo["gps_lon"], within_km)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo(f"no named place within {within_km:g} km of the photo's GPS position")
    for p in rows:
        click.echo(for_terminal(f"{p['distance_km']:>8.2f} km  {p['name']}"))
    if rows:
        click.echo(
            f"assign one with: photodesk caption {photo_id} --created PLACE "
            "(and --shown for what the frame shows)"
        )
