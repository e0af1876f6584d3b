"""Helpers for the terminal UI tests: a demo archive, and running the app under a pilot."""

from __future__ import annotations

import asyncio
import atexit
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from conftest import REPO
from photodesk.catalog import Catalog
from photodesk.config import Archive
from photodesk.ingest import ImportOptions, import_paths
from photodesk.ingest.notes import load_notes

PHOTOS = REPO / "photos"
STORY = "Rason–Quanhe trade hub, July 2023"
SIZE = (140, 40)

_template: Path | None = None


def _build(root: Path) -> None:
    archive = Archive.locate(root)
    with Catalog.open(archive, create=True) as catalog:
        summary = import_paths(
            catalog,
            [str(PHOTOS)],
            ImportOptions(notes=load_notes(PHOTOS / "captions.csv"), story=STORY),
        )
    assert summary.added == 10, summary


def demo_archive(root: Path) -> Archive:
    """The demo photos imported with their notes, at `root` (imported once, then copied)."""
    global _template
    if _template is None:
        holder = Path(tempfile.mkdtemp(prefix="photodesk-tui-demo-"))
        atexit.register(shutil.rmtree, holder, True)
        built = holder / "archive"
        _build(built)
        _template = built
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(_template, root)
    return Archive.locate(root)


def ids_by_name(archive: Archive) -> dict[str, int]:
    with Catalog.open(archive) as catalog:
        return {
            r["file_name"]: r["id"] for r in catalog.db.query("SELECT id, file_name FROM photos")
        }


Scenario = Callable[[Any, Any], Awaitable[None]]


def drive(archive: Archive, scenario: Scenario, size: tuple[int, int] = SIZE) -> Any:
    """Run the app on `archive` under a pilot, play `scenario(app, pilot)`, return the app."""
    from photodesk.tui import make_app

    async def main() -> Any:
        app = make_app(archive)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(app, pilot)
            await pilot.pause()
        return app

    return asyncio.run(main())


async def settle(app: Any, pilot: Any, delay: float = 0.0) -> None:
    """Let timers fire, workers finish and their messages land."""
    if delay:
        await pilot.pause(delay)
    # not DirectoryTree's loader: it waits for work as long as its tree lives
    # (and an empty list means every worker to wait_for_complete)
    busy = [w for w in app.workers if w.name != "_loader"]
    if busy:
        await app.workers.wait_for_complete(busy)
    await pilot.pause()
    await pilot.pause()


def cell_texts(table: Any) -> list[list[str]]:
    """What each row of a DataTable holds, as plain strings."""
    return [
        [str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)
    ]
