"""Opening the archive's catalog for one command, with core errors as one-line messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from photodesk.catalog import Catalog
from photodesk.errors import PhotodeskError, UsageMistake
from photodesk.text import for_terminal


@contextmanager
def open_catalog(ctx: click.Context, create: bool = False) -> Iterator[Catalog]:
    def waiting(seconds: float) -> None:
        click.echo(f"waiting for another photodesk to finish writing… ({seconds:.0f} s)", err=True)

    try:
        with Catalog.open(ctx.obj, create=create) as catalog, Catalog.waiting(waiting):
            yield catalog
    except UsageMistake as exc:  # a name or value typed wrong: exit 2, as click's usage errors
        raise Mistake(str(exc)) from exc
    except PhotodeskError as exc:  # messages quote names and paths: keep them inert
        raise click.ClickException(for_terminal(str(exc), single_line=True)) from exc


class Mistake(click.ClickException):
    """A usage error told in one line (exit 2): no usage block, since the line says what to type."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(for_terminal(message, single_line=True))
