"""Archive settings: the default caption language; where the archive is."""

from __future__ import annotations

from typing import Any

import click

from photodesk.cli.archive import open_catalog
from photodesk.cli.output import emit_json
from photodesk.language import normalize_lang


@click.group("config")
def config_group() -> None:
    """Archive settings."""


@config_group.command("default-language")
@click.argument("lang")
@click.pass_context
def config_default_language(ctx: click.Context, lang: str) -> None:
    """Set the language captions are written in unless --lang says otherwise."""
    with open_catalog(ctx) as catalog:
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
